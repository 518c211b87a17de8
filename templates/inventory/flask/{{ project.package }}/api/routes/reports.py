"""Reports: low stock, and the value of the stock per currency."""

from flask import Blueprint

from ...models.users import User
from ...schemas.common import Page
from ...schemas.reports import LowStockItem, LowStockQuery, Valuation, ValuationQuery
from ...services import reports
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/low-stock")
@endpoint(
    summary="Products low on stock",
    query=LowStockQuery,
    response=Page[LowStockItem],
    auth="user",
)
def low_stock(user: User, query: LowStockQuery) -> Page[LowStockItem]:
    """Active products whose stock across all warehouses is at or below their threshold."""
    return reports.low_stock(db_session(), query)


@bp.get("/valuation")
@endpoint(
    summary="Stock value per currency",
    query=ValuationQuery,
    response=Valuation,
    auth="user",
    errors={404: "Warehouse not found"},
)
def valuation(user: User, query: ValuationQuery) -> Valuation:
    """The sum of level x price per currency, in minor units (one warehouse or all)."""
    return reports.valuation(db_session(), query)
