"""Products: what the warehouses hold, with a price in minor units."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.money import Money
from ..db import Base, UTCDateTime, trigram_indexes, utcnow


class Product(Base):
    """A product, known by its SKU; retired (``is_active`` false), never deleted."""

    __tablename__ = "products"
    # q, a substring of the SKU or name, on PostgreSQL; a category's products by status
    # in SKU order, for the capped total and the cursor's page (docs/list-indexes.md).
    __table_args__ = (
        Index("ix_products_category_active", "category", "is_active", "sku"),
        *trigram_indexes("products", "sku", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price_amount: Mapped[int] = mapped_column(BigInteger)
    price_currency: Mapped[str] = mapped_column(String(3))
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    low_stock_threshold: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def price(self) -> Money:
        """The price as one value: an amount in minor units and its currency."""
        return Money(amount=self.price_amount, currency=self.price_currency)
