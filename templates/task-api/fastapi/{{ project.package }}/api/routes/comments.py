"""Comments on a task, for whoever sees the task."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.comments import CommentCreate, CommentPublic
from ...schemas.common import ErrorBody, Page, PageQuery
from ...services import comments
from ..deps import CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/tasks/{task_id:int}/comments",
    tags=["comments"],
    responses={
        401: {"model": ErrorBody, "description": "Not authenticated"},
        404: {"model": ErrorBody, "description": "Task not found"},
    },
)


@router.get("", summary="List comments")
@serialized
def list_comments(
    task_id: int, session: SessionDep, user: CurrentUser, query: Annotated[PageQuery, Query()]
) -> Page[CommentPublic]:
    """List the comments on a task, oldest first."""
    return comments.list_comments(session, user, task_id, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CommentPublic,
    summary="Comment on a task",
)
def add_comment(task_id: int, data: CommentCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Add a comment, written by you, to a task you see."""
    return comments.add_comment(session, user, task_id, data)


@router.delete(
    "/{comment_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"model": ErrorBody, "description": "Only the author or an admin"}},
    summary="Delete a comment",
)
def delete_comment(task_id: int, comment_id: int, session: SessionDep, user: CurrentUser) -> None:
    """Delete a comment (its author or an admin)."""
    comments.delete_comment(session, user, task_id, comment_id)
