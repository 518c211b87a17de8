"""The balance and the ledger of the signed-in merchant (of everyone for an admin)."""

from flask import Blueprint

from ...models.users import User
from ...schemas.common import Page
from ...schemas.ledger import Balance, LedgerEntryPublic, LedgerQuery
from ...services import ledger
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("ledger", __name__)


@bp.get("/balance")
@endpoint(summary="Balance per currency", response=Balance, auth="user")
def read_balance(user: User) -> Balance:
    """Captured, refunded and net amounts per currency, from the ledger."""
    return ledger.balance(db_session(), user)


@bp.get("/ledger")
@endpoint(
    summary="List ledger entries", query=LedgerQuery, response=Page[LedgerEntryPublic], auth="user"
)
def list_entries(user: User, query: LedgerQuery) -> Page[LedgerEntryPublic]:
    """List your ledger entries, newest first: +amount per charge, -amount per refund."""
    return ledger.list_entries(db_session(), user, query)
