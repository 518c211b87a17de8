"""Reports computed from the stock levels: low stock, and stock value per currency."""

from typing import Any

from django.db.models import BigIntegerField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ..core.stock_rules import valuation_totals
from ..products.models import Product
from ..stock.models import StockLevel
from ..warehouses.services import get_warehouse


def low_stock(query: dict[str, Any]) -> QuerySet[Product]:
    """Active products whose stock across all warehouses is at or below their threshold,
    by SKU, each with its total ``quantity``.
    """
    products = Product.objects.filter(is_active=True)
    if query.get("category") is not None:
        products = products.filter(category=query["category"])
    return (
        products.annotate(
            quantity=Coalesce(
                Sum("stock_levels__quantity"), Value(0), output_field=BigIntegerField()
            )
        )
        .filter(quantity__lte=F("low_stock_threshold"))
        .order_by("sku")
    )


def valuation(query: dict[str, Any]) -> dict[str, Any]:
    """The value of the stock (level x price) per currency, in minor units."""
    levels = StockLevel.objects.filter(quantity__gt=0)
    if query.get("warehouse_id") is not None:
        levels = levels.filter(warehouse=get_warehouse(query["warehouse_id"]))
    rows = (
        levels.order_by()
        .values_list("product__price_currency", "product__price_amount")
        .annotate(units=Sum("quantity"))
    )
    return {"totals": valuation_totals(rows)}
