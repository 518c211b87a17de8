"""Comments on posts: anyone reads them, signed-in users write them."""

from flask import Blueprint

from ...models.comments import Comment
from ...models.users import User
from ...schemas.comments import CommentCreate, CommentPublic
from ...schemas.common import Page, PageQuery
from ...services import comments
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("comments", __name__, url_prefix="/posts/<slug>/comments")
NOT_FOUND = {404: "Post not found"}


@bp.get("")
@endpoint(
    summary="List comments",
    query=PageQuery,
    response=Page[CommentPublic],
    auth="optional",
    errors=NOT_FOUND,
)
def list_comments(slug: str, user: User | None, query: PageQuery) -> Page[CommentPublic]:
    """List the comments of a post, oldest first."""
    return comments.list_comments(db_session(), user, slug, query)


@bp.post("")
@endpoint(
    summary="Comment on a post",
    body=CommentCreate,
    response=CommentPublic,
    status=201,
    auth="user",
    errors={**NOT_FOUND, 409: "Only published posts take comments"},
)
def create_comment(user: User, slug: str, data: CommentCreate) -> Comment:
    """Comment on a published post."""
    return comments.create_comment(db_session(), user, slug, data)


@bp.delete("/<int:comment_id>")
@endpoint(
    summary="Delete a comment",
    status=204,
    auth="user",
    errors={403: "Only its author or an admin", 404: "Post or comment not found"},
)
def delete_comment(user: User, slug: str, comment_id: int) -> None:
    """Delete a comment (its author or an admin)."""
    comments.delete_comment(db_session(), user, slug, comment_id)
