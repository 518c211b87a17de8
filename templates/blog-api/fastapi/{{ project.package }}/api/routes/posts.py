"""Posts: public when published; written by authors and admins."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody
from ...schemas.posts import PostCreate, PostPage, PostPublic, PostQuery, PostUpdate
from ...services import posts
from ..deps import CurrentUser, SessionDep
from ..responses import serialized
from ..viewer import OPTIONAL_TOKEN, Viewer

router = APIRouter(
    prefix="/posts",
    tags=["posts"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Post not found"}
}
AUTHOR_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Only the post's author or an admin"}
}


@router.get("", summary="List posts", openapi_extra=OPTIONAL_TOKEN)
@serialized
def list_posts(
    session: SessionDep, viewer: Viewer, query: Annotated[PostQuery, Query()]
) -> PostPage:
    """List published posts (status=draft: the drafts you may see), newest first."""
    return posts.list_posts(session, viewer, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PostPublic,
    responses={
        403: {"model": ErrorBody, "description": "Author role required"},
        409: {"model": ErrorBody, "description": "Too many posts with this title at once"},
    },
    summary="Write a post",
)
def create_post(data: PostCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Write a post (authors and admins); its slug is made from the title."""
    return posts.create_post(session, user, data)


@router.get(
    "/{slug}",
    response_model=PostPublic,
    responses=NOT_FOUND,
    summary="Read a post",
    openapi_extra=OPTIONAL_TOKEN,
)
def read_post(slug: str, session: SessionDep, viewer: Viewer) -> Any:
    """Return a published post, or a draft to its author and admins."""
    return posts.get_post(session, viewer, slug)


@router.patch(
    "/{slug}",
    response_model=PostPublic,
    responses={**NOT_FOUND, **AUTHOR_ONLY},
    summary="Change a post",
)
def update_post(slug: str, data: PostUpdate, session: SessionDep, user: CurrentUser) -> Any:
    """Change the given fields of a post, or publish it."""
    return posts.update_post(session, user, slug, data)


@router.delete(
    "/{slug}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND, **AUTHOR_ONLY},
    summary="Delete a post",
)
def delete_post(slug: str, session: SessionDep, user: CurrentUser) -> None:
    """Delete a post and its comments."""
    posts.delete_post(session, user, slug)
