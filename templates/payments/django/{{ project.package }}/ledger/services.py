"""The ledger and the balance it adds up to."""

from typing import Any

from django.db.models import Q, QuerySet, Sum

from ..accounts.models import User
from ..core.payment_rules import currency_balance
from .models import EntryType, LedgerEntry


def visible_to(user: User) -> QuerySet[LedgerEntry]:
    """The entries ``user`` may see (an admin: all)."""
    entries = LedgerEntry.objects.all()
    return entries if user.is_admin else entries.filter(owner=user)


def list_entries(user: User, query: dict[str, Any]) -> QuerySet[LedgerEntry]:
    """The entries ``user`` may see, newest first, filtered by currency or payment."""
    entries = visible_to(user)
    if query.get("currency") is not None:
        entries = entries.filter(currency=query["currency"])
    if query.get("payment_id") is not None:
        entries = entries.filter(payment_id=query["payment_id"])
    return entries.order_by("-pk")


def balance(user: User) -> dict[str, Any]:
    """Captured, refunded and net amounts per currency, summed from the ledger."""
    rows = (
        visible_to(user)
        .values("currency")
        .annotate(
            charged=Sum("amount", filter=Q(type=EntryType.CHARGE)),
            returned=Sum("amount", filter=Q(type=EntryType.REFUND)),
        )
        .order_by("currency")
    )
    balances = [
        currency_balance(row["currency"], row["charged"], -(row["returned"] or 0)) for row in rows
    ]
    return {"balances": balances}
