"""Links of the signed-in user (every link for an admin), and the public redirect."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.responses import RedirectResponse

from ...schemas.common import ErrorBody, Page
from ...schemas.links import LinkCreate, LinkPublic, LinkQuery
from ...services import links
from ..deps import CurrentUser, SessionDep

router = APIRouter(tags=["links"])
SIGNED_IN: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not authenticated"}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Link not found"}
}


@router.get("/links", responses=SIGNED_IN, summary="List links")
def list_links(
    session: SessionDep, user: CurrentUser, query: Annotated[LinkQuery, Query()]
) -> Page[LinkPublic]:
    """List your links (an admin's lists every link), newest first."""
    return links.list_links(session, user, query)


@router.post(
    "/links",
    status_code=status.HTTP_201_CREATED,
    response_model=LinkPublic,
    responses={**SIGNED_IN, 409: {"model": ErrorBody, "description": "The code is taken"}},
    summary="Shorten a URL",
)
def create_link(data: LinkCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Make a short link to ``url``, with ``code`` or a made-up code."""
    return links.create_link(session, user, data)


@router.get(
    "/links/{code}",
    response_model=LinkPublic,
    responses={**SIGNED_IN, **NOT_FOUND},
    summary="Read a link",
)
def read_link(code: str, session: SessionDep, user: CurrentUser) -> Any:
    """Return one of your links, with its visit count."""
    return links.get_link(session, user, code)


@router.delete(
    "/links/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**SIGNED_IN, **NOT_FOUND},
    summary="Delete a link",
)
def delete_link(code: str, session: SessionDep, user: CurrentUser) -> None:
    """Delete one of your links (any link, for an admin)."""
    links.delete_link(session, user, code)


@router.get(
    "/r/{code}",
    response_class=RedirectResponse,
    status_code=status.HTTP_307_TEMPORARY_REDIRECT,
    responses={307: {"description": "To the link's target URL"}, **NOT_FOUND},
    summary="Follow a link",
)
def follow_link(code: str, session: SessionDep) -> Any:
    """Redirect to the link's target and count the visit (no account needed)."""
    return RedirectResponse(links.follow_link(session, code), status.HTTP_307_TEMPORARY_REDIRECT)
