"""Reports: low stock, and the value of the stock per currency."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...schemas.common import ErrorBody, Page
from ...schemas.reports import LowStockItem, LowStockQuery, Valuation, ValuationQuery
from ...services import reports
from ..deps import CurrentUser, SessionDep

router = APIRouter(
    prefix="/reports",
    tags=["reports"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)


@router.get("/low-stock", summary="Products low on stock")
def low_stock(
    session: SessionDep, _user: CurrentUser, query: Annotated[LowStockQuery, Query()]
) -> Page[LowStockItem]:
    """Active products whose stock across all warehouses is at or below their threshold."""
    return reports.low_stock(session, query)


@router.get(
    "/valuation",
    response_model=Valuation,
    responses={404: {"model": ErrorBody, "description": "Warehouse not found"}},
    summary="Stock value per currency",
)
def valuation(
    session: SessionDep, _user: CurrentUser, query: Annotated[ValuationQuery, Query()]
) -> Any:
    """The sum of level x price per currency, in minor units (one warehouse or all)."""
    return reports.valuation(session, query)
