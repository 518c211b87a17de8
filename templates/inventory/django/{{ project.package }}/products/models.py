"""Products: what the warehouses hold, with a price in minor units."""

from typing import Any

from django.db import models

from ..core.catalog_rules import MAX_CATEGORY_LENGTH, MAX_CODE_LENGTH, MAX_NAME_LENGTH
from ..core.fields import ExactCharField


class Product(models.Model):
    """A product, known by its SKU; retired (``is_active`` false), never deleted."""

    sku = ExactCharField(max_length=MAX_CODE_LENGTH, unique=True)
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    description = models.TextField(null=True, blank=True)
    price_amount = models.BigIntegerField()
    price_currency = models.CharField(max_length=3)
    category = models.CharField(
        max_length=MAX_CATEGORY_LENGTH, null=True, blank=True, db_index=True
    )
    is_active = models.BooleanField(default=True, db_index=True)
    low_stock_threshold = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "products"
        # A category's products by status in SKU order: the capped total reads it alone,
        # the cursor's page is one range of it (docs/list-indexes.md).
        indexes = (
            models.Index(
                fields=["category", "is_active", "sku"], name="ix_products_category_active"
            ),
        )

    def __str__(self) -> str:
        return self.sku

    @property
    def price(self) -> dict[str, Any]:
        """The price as one value: an amount in minor units and its currency."""
        return {"amount": self.price_amount, "currency": self.price_currency}
