"""Stock levels per product and warehouse."""

from typing import Annotated

from fastapi import APIRouter, Query

from ...schemas.common import ErrorBody, Page
from ...schemas.stock import StockLevelPublic, StockQuery
from ...services import stock
from ..deps import CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/stock",
    tags=["stock"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)


@router.get("", summary="List stock levels")
@serialized
def list_levels(
    session: SessionDep, _user: CurrentUser, query: Annotated[StockQuery, Query()]
) -> Page[StockLevelPublic]:
    """List stock levels by product and warehouse, filtered by either."""
    return stock.list_levels(session, query)
