"""Payment and refund shapes: the card comes in, only its brand and last four go out."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from ..core.cards import card_digits, expiry_problem
from ..core.money import Currency, PositiveAmount
from ..core.payment_rules import PaymentStatus
from .common import MAX_ID, InputModel, Page
from .fields import IdFilter, ListQuery, Text


class CardIn(InputModel):
    """The card to charge. The number is checked and charged, never kept."""

    # repr=False: the number and the cvc never show up in logs or tracebacks.
    number: str = Field(
        min_length=1, max_length=40, repr=False, description="12..19 digits; Luhn-valid"
    )
    exp_month: StrictInt | None = Field(default=None, ge=1, le=12)
    exp_year: StrictInt | None = Field(default=None, ge=2000, le=2100)
    cvc: str | None = Field(default=None, pattern=r"^[0-9]{3,4}$", repr=False)

    @field_validator("number")
    @classmethod
    def _valid_number(cls, value: str) -> str:
        return card_digits(value)

    @model_validator(mode="after")
    def _valid_expiry(self) -> "CardIn":
        problem = expiry_problem(self.exp_month, self.exp_year)
        if problem is not None:
            raise ValueError(problem)
        return self


class PaymentCreate(InputModel):
    """A charge: an amount in minor units, its currency, and the card."""

    amount: PositiveAmount
    currency: Currency
    description: Text | None = Field(default=None, max_length=500)
    customer_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    card: CardIn


class CardPublic(BaseModel):
    """What is kept of a card."""

    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None


class PaymentPublic(BaseModel):
    """A payment as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    customer_id: int | None
    amount: int
    amount_captured: int
    amount_refunded: int
    currency: str
    description: str | None
    status: PaymentStatus
    card: CardPublic
    failure_code: str | None
    failure_message: str | None
    created_at: datetime
    updated_at: datetime


class PaymentQuery(ListQuery):
    """Filters of ``GET /payments`` (newest first)."""

    status: PaymentStatus | None = None
    currency: Currency | None = None
    customer_id: IdFilter | None = None
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor: str | None = Field(default=None, min_length=1, max_length=1024)


class PaymentPage(Page[PaymentPublic]):
    """One page of payments. ``total`` counts the matching payments up to 10,000 (a list
    with more reports 10,000); ``next_cursor`` is the ``cursor`` of the next page, null
    on the last one."""

    next_cursor: str | None


class RefundCreate(InputModel):
    """A refund; without an amount, everything that remains is refunded."""

    amount: PositiveAmount | None = None
    reason: Text | None = Field(default=None, max_length=200)


class RefundPublic(BaseModel):
    """A refund as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    payment_id: int
    amount: int
    currency: str
    reason: str | None
    created_at: datetime
