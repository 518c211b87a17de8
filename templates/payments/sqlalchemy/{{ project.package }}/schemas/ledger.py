"""Ledger and balance shapes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from ..core.money import Currency
from ..core.payment_rules import EntryType
from .fields import IdFilter, ListQuery


class LedgerEntryPublic(BaseModel):
    """A ledger entry: +amount for a charge, -amount for a refund."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    type: EntryType
    amount: int
    currency: str
    payment_id: int
    refund_id: int | None
    created_at: datetime


class LedgerQuery(ListQuery):
    """Filters of ``GET /ledger`` (newest first)."""

    currency: Currency | None = None
    payment_id: IdFilter | None = None


class CurrencyBalance(BaseModel):
    """The money of one currency: captured minus refunded is net."""

    currency: str
    captured: int
    refunded: int
    net: int


class Balance(BaseModel):
    """One entry per currency that has a ledger entry, by currency code.

    Not paginated: there is at most one entry per ISO 4217 currency.
    """

    balances: list[CurrencyBalance]
