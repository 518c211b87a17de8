"""The stock ledger: managers record movements, everyone signed in reads them."""

from flask import Blueprint

from ...models.users import Role, User
from ...schemas.common import Page
from ...schemas.stock import MovementCreate, MovementPublic, MovementQuery, MovementReceipt
from ...services import stock
from ..access import requires
from ..deps import app_settings, db_session
from ..endpoint import endpoint

bp = Blueprint("movements", __name__, url_prefix="/movements")


@bp.get("")
@endpoint(summary="List movements", query=MovementQuery, response=Page[MovementPublic], auth="user")
def list_movements(user: User, query: MovementQuery) -> Page[MovementPublic]:
    """List the ledger newest first, filtered by product, warehouse and type."""
    return stock.list_movements(db_session(), query)


@bp.post("")
@requires(Role.MANAGER)
@endpoint(
    summary="Record a movement (manager)",
    body=MovementCreate,
    response=MovementReceipt,
    status=201,
    auth="user",
    errors={
        403: "Manager role required",
        404: "Product or warehouse not found",
        409: "Insufficient stock, or inactive product",
    },
)
def record_movement(user: User, data: MovementCreate) -> MovementReceipt:
    """Receive, ship, adjust or transfer stock; answer the movements and the new levels."""
    attempts = app_settings().stock_movement_attempts
    return stock.record_movement(db_session(), user, data, attempts=attempts)
