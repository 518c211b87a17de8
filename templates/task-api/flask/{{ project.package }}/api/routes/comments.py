"""Comments on a task, for whoever sees the task."""

from flask import Blueprint

from ...models.comments import Comment
from ...models.users import User
from ...schemas.comments import CommentCreate, CommentPublic
from ...schemas.common import Page, PageQuery
from ...services import comments
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("comments", __name__, url_prefix="/tasks/<int:task_id>/comments")
NOT_FOUND = {404: "Task not found"}


@bp.get("")
@endpoint(
    summary="List comments",
    query=PageQuery,
    response=Page[CommentPublic],
    auth="user",
    errors=NOT_FOUND,
)
def list_comments(user: User, task_id: int, query: PageQuery) -> Page[CommentPublic]:
    """List the comments on a task, oldest first."""
    return comments.list_comments(db_session(), user, task_id, query)


@bp.post("")
@endpoint(
    summary="Comment on a task",
    body=CommentCreate,
    response=CommentPublic,
    status=201,
    auth="user",
    errors=NOT_FOUND,
)
def add_comment(user: User, task_id: int, data: CommentCreate) -> Comment:
    """Add a comment, written by you, to a task you see."""
    return comments.add_comment(db_session(), user, task_id, data)


@bp.delete("/<int:comment_id>")
@endpoint(
    summary="Delete a comment",
    status=204,
    auth="user",
    errors={**NOT_FOUND, 403: "Only the author or an admin"},
)
def delete_comment(user: User, task_id: int, comment_id: int) -> None:
    """Delete a comment (its author or an admin)."""
    comments.delete_comment(db_session(), user, task_id, comment_id)
