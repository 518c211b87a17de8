"""Tags of published posts, with their post counts."""

from flask import Blueprint

from ...schemas.common import Page, PageQuery
from ...schemas.tags import TagPublic
from ...services import tags
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("tags", __name__, url_prefix="/tags")


@bp.get("")
@endpoint(summary="List tags", query=PageQuery, response=Page[TagPublic])
def list_tags(query: PageQuery) -> Page[TagPublic]:
    """List the tags of published posts, most used first, then by name."""
    return tags.list_tags(db_session(), query)
