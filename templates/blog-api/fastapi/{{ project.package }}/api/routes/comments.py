"""Comments on posts: anyone reads them, signed-in users write them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.comments import CommentCreate, CommentPublic
from ...schemas.common import ErrorBody, Page, PageQuery
from ...services import comments
from ..deps import CurrentUser, SessionDep
from ..responses import serialized
from ..viewer import OPTIONAL_TOKEN, Viewer

router = APIRouter(
    prefix="/posts/{slug}/comments",
    tags=["comments"],
    responses={
        401: {"model": ErrorBody, "description": "Not authenticated"},
        404: {"model": ErrorBody, "description": "Post not found"},
    },
)


@router.get("", summary="List comments", openapi_extra=OPTIONAL_TOKEN)
@serialized
def list_comments(
    slug: str, session: SessionDep, viewer: Viewer, query: Annotated[PageQuery, Query()]
) -> Page[CommentPublic]:
    """List the comments of a post, oldest first."""
    return comments.list_comments(session, viewer, slug, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CommentPublic,
    responses={409: {"model": ErrorBody, "description": "Only published posts take comments"}},
    summary="Comment on a post",
)
def create_comment(slug: str, data: CommentCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Comment on a published post."""
    return comments.create_comment(session, user, slug, data)


@router.delete(
    "/{comment_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={403: {"model": ErrorBody, "description": "Only its author or an admin"}},
    summary="Delete a comment",
)
def delete_comment(slug: str, comment_id: int, session: SessionDep, user: CurrentUser) -> None:
    """Delete a comment (its author or an admin)."""
    comments.delete_comment(session, user, slug, comment_id)
