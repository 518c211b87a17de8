"""Stock: one level per product and warehouse, and the ledger of movements that set it.

A level changes only together with a movement, in one transaction, so that each level
equals the sum of the quantities of its movements.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.stock_rules import MovementType
from ..db import Base, UTCDateTime, utcnow


class StockLevel(Base):
    """How many units of a product one warehouse holds (never below zero)."""

    __tablename__ = "stock_levels"
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_not_negative"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id"), primary_key=True, index=True
    )
    quantity: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Movement(Base):
    """One entry of the append-only ledger: ``quantity`` is the signed change of the level
    of ``product_id`` in ``warehouse_id``.

    A transfer is two movements, out of one warehouse (negative) and into the other
    (positive), sharing a ``transfer_id``; each names the other warehouse.
    """

    __tablename__ = "movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[MovementType] = mapped_column(
        Enum(
            MovementType,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        index=True,
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    quantity: Mapped[int]
    reason: Mapped[str | None] = mapped_column(Text)
    transfer_id: Mapped[str | None] = mapped_column(String(32), index=True)
    counterpart_warehouse_id: Mapped[int | None] = mapped_column(
        ForeignKey("warehouses.id"), index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
