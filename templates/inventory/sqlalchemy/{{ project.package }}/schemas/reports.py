"""Report shapes: low stock and valuation."""

from pydantic import BaseModel, Field

from ..core.catalog_rules import MAX_CATEGORY_LENGTH
from .common import PageQuery, QueryModel
from .fields import Id


class LowStockQuery(PageQuery):
    """Filters of ``GET /reports/low-stock``."""

    category: str | None = Field(default=None, max_length=MAX_CATEGORY_LENGTH)


class LowStockItem(BaseModel):
    """An active product whose total stock is at or below its threshold."""

    product_id: int
    sku: str
    name: str
    low_stock_threshold: int
    quantity: int = Field(description="units across every warehouse")


class ValuationQuery(QueryModel):
    """Filters of ``GET /reports/valuation``."""

    warehouse_id: Id | None = None


class CurrencyValue(BaseModel):
    """The value of the stock priced in one currency."""

    currency: str
    amount: int = Field(description="the sum of level x price, in minor units")
    units: int


class Valuation(BaseModel):
    """Stock value per currency, sorted by currency; a currency with no stock is left out."""

    totals: list[CurrencyValue]
