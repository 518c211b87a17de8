"""Tags of published posts, with their post counts."""

from typing import Annotated

from fastapi import APIRouter, Query

from ...schemas.common import Page, PageQuery
from ...schemas.tags import TagPublic
from ...services import tags
from ..deps import SessionDep
from ..responses import serialized

router = APIRouter(prefix="/tags", tags=["tags"])


@router.get("", summary="List tags")
@serialized
def list_tags(session: SessionDep, query: Annotated[PageQuery, Query()]) -> Page[TagPublic]:
    """List the tags of published posts, most used first, then by name."""
    return tags.list_tags(session, query)
