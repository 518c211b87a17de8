"""The balance and the ledger of the signed-in merchant (of everyone for an admin)."""

from typing import Annotated

from fastapi import APIRouter, Query

from ...schemas.common import ErrorBody, Page
from ...schemas.ledger import Balance, LedgerEntryPublic, LedgerQuery
from ...services import ledger
from ..deps import CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    tags=["ledger"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)


@router.get("/balance", summary="Balance per currency")
def read_balance(session: SessionDep, user: CurrentUser) -> Balance:
    """Captured, refunded and net amounts per currency, from the ledger."""
    return ledger.balance(session, user)


@router.get("/ledger", summary="List ledger entries")
@serialized
def list_entries(
    session: SessionDep, user: CurrentUser, query: Annotated[LedgerQuery, Query()]
) -> Page[LedgerEntryPublic]:
    """List your ledger entries, newest first: +amount per charge, -amount per refund."""
    return ledger.list_entries(session, user, query)
