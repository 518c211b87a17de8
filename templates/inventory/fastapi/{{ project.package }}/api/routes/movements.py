"""The stock ledger: managers record movements, everyone signed in reads them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody, Page
from ...schemas.stock import MovementCreate, MovementPublic, MovementQuery, MovementReceipt
from ...services import stock
from ..access import MANAGER_ONLY, CurrentManager
from ..deps import CurrentUser, SessionDep, SettingsDep
from ..responses import serialized

router = APIRouter(
    prefix="/movements",
    tags=["movements"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)


@router.get("", summary="List movements")
@serialized
def list_movements(
    session: SessionDep, _user: CurrentUser, query: Annotated[MovementQuery, Query()]
) -> Page[MovementPublic]:
    """List the ledger newest first, filtered by product, warehouse and type."""
    return stock.list_movements(session, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MovementReceipt,
    responses={
        **MANAGER_ONLY,
        404: {"model": ErrorBody, "description": "Product or warehouse not found"},
        409: {"model": ErrorBody, "description": "Insufficient stock, or inactive product"},
    },
    summary="Record a movement (manager)",
)
def record_movement(
    data: MovementCreate, session: SessionDep, settings: SettingsDep, manager: CurrentManager
) -> Any:
    """Receive, ship, adjust or transfer stock; answer the movements and the new levels."""
    return stock.record_movement(session, manager, data, attempts=settings.stock_movement_attempts)
