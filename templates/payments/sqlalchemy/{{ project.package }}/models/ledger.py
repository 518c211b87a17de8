"""The ledger: one signed entry per captured charge and per refund."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.payment_rules import EntryType
from ..db import Base, UTCDateTime, utcnow
from .payments import enum_column


class LedgerEntry(Base):
    """A movement of money, written in the transaction of the charge or refund."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    refund_id: Mapped[int | None] = mapped_column(
        ForeignKey("refunds.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[EntryType] = mapped_column(enum_column(EntryType))
    # Signed, in minor units: +amount for a charge, -amount for a refund.
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
