"""Ledger and balance shapes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ..core.money import Currency
from ..models.ledger import EntryType
from .common import PageQuery
from .payments import MAX_ID


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


class LedgerQuery(PageQuery):
    """Filters of ``GET /ledger`` (newest first)."""

    currency: Currency | None = None
    payment_id: int | None = Field(default=None, ge=1, le=MAX_ID)


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
