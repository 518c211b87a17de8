"""Stock: one level per product and warehouse, and the ledger of movements that set it.

A level changes only together with a movement, in one transaction, so that each level
equals the sum of the quantities of its movements.
"""

from django.conf import settings
from django.db import models

from ..core import stock_rules

#: The movement types of ``core/stock_rules.py`` as Django choices.
# django-stubs types only the class form of TextChoices, not this functional one
# (Enum's: a name and (member, value) pairs), which Django supports.
MovementType = models.TextChoices(  # type: ignore[call-overload]
    "MovementType", [(kind.name, kind.value) for kind in stock_rules.MovementType]
)


class StockLevel(models.Model):
    """How many units of a product one warehouse holds (never below zero)."""

    # Indexed by the unique constraint, which leads with product_id.
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="stock_levels", db_index=False
    )
    warehouse = models.ForeignKey(
        "warehouses.Warehouse", on_delete=models.PROTECT, related_name="stock_levels"
    )
    quantity = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "stock_levels"
        constraints = (
            models.UniqueConstraint(
                fields=["product", "warehouse"], name="uq_stock_levels_product_id_warehouse_id"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="ck_stock_levels_quantity_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.quantity}"


class Movement(models.Model):
    """One entry of the append-only ledger: ``quantity`` is the signed change of the level
    of ``product`` in ``warehouse``.

    A transfer is two movements, out of one warehouse (negative) and into the other
    (positive), sharing a ``transfer_id``; each names the other warehouse.
    """

    type = models.CharField(max_length=20, choices=MovementType.choices, db_index=True)
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="movements"
    )
    warehouse = models.ForeignKey(
        "warehouses.Warehouse", on_delete=models.PROTECT, related_name="movements"
    )
    quantity = models.BigIntegerField()
    reason = models.TextField(null=True, blank=True)
    transfer_id = models.CharField(max_length=32, null=True, blank=True, db_index=True)
    counterpart_warehouse = models.ForeignKey(
        "warehouses.Warehouse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counterpart_movements",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="movements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "movements"

    def __str__(self) -> str:
        return f"{self.type} {self.quantity:+d}"
