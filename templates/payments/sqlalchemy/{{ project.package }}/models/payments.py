"""Payments, their refunds, and the idempotency keys that make charging safe to retry."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.payment_rules import PaymentStatus, amount_captured, card_view
from ..db import Base, UTCDateTime, utcnow


def enum_column(enum: type[StrEnum]) -> Enum:
    """Store an enum as a short string, not a native ENUM, so every database migrates alike."""
    return Enum(enum, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Payment(Base):
    """A card charge of one merchant; amounts are integers in minor units."""

    __tablename__ = "payments"
    # The list's filters, each in its order (newest first): migration 0003_list_indexes.
    __table_args__ = (
        Index("ix_payments_created_id", "created_at", "id"),
        Index("ix_payments_owner_created", "owner_id", "created_at", "id"),
        Index("ix_payments_status_created", "status", "created_at", "id", "currency"),
        Index("ix_payments_owner_status", "owner_id", "status", "created_at", "id", "currency"),
        Index("ix_payments_currency_created", "currency", "created_at", "id"),
        Index("ix_payments_owner_currency", "owner_id", "currency", "created_at", "id"),
        Index("ix_payments_customer_created", "customer_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    amount_refunded: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3), index=True)
    description: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[PaymentStatus] = mapped_column(
        enum_column(PaymentStatus), default=PaymentStatus.PENDING, index=True
    )
    # Never the card number: its brand and last four digits are all that is kept.
    card_brand: Mapped[str] = mapped_column(String(20))
    card_last4: Mapped[str] = mapped_column(String(4))
    card_exp_month: Mapped[int | None] = mapped_column(Integer)
    card_exp_year: Mapped[int | None] = mapped_column(Integer)
    failure_code: Mapped[str | None] = mapped_column(String(40))
    failure_message: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def amount_captured(self) -> int:
        """The amount taken from the card: all of it once it succeeded, else nothing."""
        return amount_captured(self.amount, self.status)

    @property
    def card(self) -> dict[str, Any]:
        """What the API shows of the card."""
        return card_view(self.card_brand, self.card_last4, self.card_exp_month, self.card_exp_year)


class Refund(Base):
    """Money given back from a captured payment."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class IdempotencyKey(Base):
    """The first response to an ``Idempotency-Key`` of a user, replayed for its retries.

    The row is inserted in the transaction that charges, under a unique (owner, key)
    constraint: a concurrent retry waits for that transaction (or fails on commit)
    and then replays the stored response, so one key never charges twice.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("owner_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    # An HMAC of the request, keyed with SECRET_KEY: it holds the card number, so a
    # plain hash could be reversed by trying every number.
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
