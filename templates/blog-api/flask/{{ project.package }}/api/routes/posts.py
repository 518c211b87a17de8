"""Posts: public when published; written by authors and admins."""

from flask import Blueprint

from ...models.posts import Post
from ...models.users import User
from ...schemas.posts import PostCreate, PostPage, PostPublic, PostQuery, PostUpdate
from ...services import posts
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("posts", __name__, url_prefix="/posts")
NOT_FOUND = {404: "Post not found"}
AUTHOR_ONLY = {403: "Only the post's author or an admin", 404: "Post not found"}


@bp.get("")
@endpoint(summary="List posts", query=PostQuery, response=PostPage, auth="optional")
def list_posts(user: User | None, query: PostQuery) -> PostPage:
    """List published posts (status=draft: the drafts you may see), newest first."""
    return posts.list_posts(db_session(), user, query)


@bp.post("")
@endpoint(
    summary="Write a post",
    body=PostCreate,
    response=PostPublic,
    status=201,
    auth="user",
    errors={403: "Author role required", 409: "Too many posts with this title at once"},
)
def create_post(user: User, data: PostCreate) -> Post:
    """Write a post (authors and admins); its slug is made from the title."""
    return posts.create_post(db_session(), user, data)


@bp.get("/<slug>")
@endpoint(summary="Read a post", response=PostPublic, auth="optional", errors=NOT_FOUND)
def read_post(slug: str, user: User | None) -> Post:
    """Return a published post, or a draft to its author and admins."""
    return posts.get_post(db_session(), user, slug)


@bp.patch("/<slug>")
@endpoint(
    summary="Change a post", body=PostUpdate, response=PostPublic, auth="user", errors=AUTHOR_ONLY
)
def update_post(user: User, slug: str, data: PostUpdate) -> Post:
    """Change the given fields of a post, or publish it."""
    return posts.update_post(db_session(), user, slug, data)


@bp.delete("/<slug>")
@endpoint(summary="Delete a post", status=204, auth="user", errors=AUTHOR_ONLY)
def delete_post(user: User, slug: str) -> None:
    """Delete a post and its comments."""
    posts.delete_post(db_session(), user, slug)
