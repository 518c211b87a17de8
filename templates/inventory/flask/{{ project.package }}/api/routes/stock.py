"""Stock levels per product and warehouse."""

from flask import Blueprint

from ...models.users import User
from ...schemas.common import Page
from ...schemas.stock import StockLevelPublic, StockQuery
from ...services import stock
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("stock", __name__, url_prefix="/stock")


@bp.get("")
@endpoint(
    summary="List stock levels", query=StockQuery, response=Page[StockLevelPublic], auth="user"
)
def list_levels(user: User, query: StockQuery) -> Page[StockLevelPublic]:
    """List stock levels by product and warehouse, filtered by either."""
    return stock.list_levels(db_session(), query)
