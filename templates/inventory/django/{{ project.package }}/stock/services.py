"""Stock levels and the movements that change them, on the database.

``core/stock_rules.py`` decides (the movement's legs, the levels a change may apply
to, what follows a refused change, which failures to retry); this module runs the
conditional UPDATEs and writes the movements, in ``transaction.atomic()`` blocks.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ..accounts.models import User
from ..core import stock_rules
from ..core.errors import Conflict
from ..products.services import get_product
from ..warehouses.services import get_warehouse
from .models import Movement, StockLevel


@dataclass(frozen=True)
class Receipt:
    """What a movement wrote: its movements and the levels they changed."""

    movements: list[Movement]
    levels: list[StockLevel]


def list_levels(query: dict[str, Any]) -> QuerySet[StockLevel]:
    """Stock levels, by product then warehouse."""
    levels = StockLevel.objects.all()
    if query.get("product_id") is not None:
        levels = levels.filter(product_id=query["product_id"])
    if query.get("warehouse_id") is not None:
        levels = levels.filter(warehouse_id=query["warehouse_id"])
    return levels.order_by("product_id", "warehouse_id")


def list_movements(query: dict[str, Any]) -> QuerySet[Movement]:
    """The ledger, newest first."""
    movements = Movement.objects.all()
    for name in ("product_id", "warehouse_id", "type"):
        if query.get(name) is not None:
            movements = movements.filter(**{name: query[name]})
    return movements.order_by("-pk")


def record_movement(actor: User, data: dict[str, Any]) -> Receipt:
    """Apply a movement (the view lets managers and admins in) and return what it wrote.

    A transaction the database fails over a deadlock or a lock wait, or that loses
    the race to make a new level row, is tried again, up to STOCK_MOVEMENT_ATTEMPTS
    times in all.

    Raises:
        NotFound: The product or a warehouse does not exist.
        Conflict: The product is inactive, or a level would leave 0..MAX_LEVEL;
            then nothing is written.
    """
    return stock_rules.with_retries(
        lambda: _record(actor, data),
        attempts=settings.STOCK_MOVEMENT_ATTEMPTS,
        transient=_transient,
    )


@transaction.atomic
def _record(actor: User, data: dict[str, Any]) -> Receipt:
    product = get_product(data["product_id"])
    if not product.is_active:
        raise Conflict("Product is inactive: it takes no movements")
    legs = stock_rules.movement_legs(
        data["type"],
        data["quantity"],
        warehouse_id=data.get("warehouse_id"),
        from_warehouse_id=data.get("from_warehouse_id"),
        to_warehouse_id=data.get("to_warehouse_id"),
        resolve=lambda warehouse_id: get_warehouse(warehouse_id).pk,
    )
    for leg in stock_rules.lock_order(legs):
        _change_level(product.pk, leg.warehouse_id, leg.delta)
    transfer_id = stock_rules.new_transfer_id(data["type"])
    movements = [
        Movement.objects.create(
            type=data["type"],
            product_id=product.pk,
            warehouse_id=leg.warehouse_id,
            quantity=leg.delta,
            reason=data.get("reason"),
            transfer_id=transfer_id,
            counterpart_warehouse_id=leg.counterpart_warehouse_id,
            created_by=actor,
        )
        for leg in legs
    ]
    levels = [
        StockLevel.objects.get(product_id=product.pk, warehouse_id=leg.warehouse_id) for leg in legs
    ]
    return Receipt(movements=movements, levels=levels)


def _change_level(product_id: int, warehouse_id: int, delta: int) -> None:
    """Add ``delta`` to a level if it stays within 0..MAX_LEVEL, else raise ``Conflict``.

    The first movement into a warehouse makes the level row. Rows are changed only
    with UPDATE, never an upsert: on MySQL an upsert locks the primary key before the
    secondary index that an UPDATE may lock first, and the two would deadlock.
    """
    level = StockLevel.objects.filter(product_id=product_id, warehouse_id=warehouse_id)
    within = level.filter(quantity__range=stock_rules.allowed_levels(delta))
    if within.update(quantity=F("quantity") + delta, updated_at=timezone.now()) == 1:
        return
    # A locking read sees the latest commit, as the UPDATE did (MySQL's plain reads
    # see the transaction's snapshot); SQLite, where writes serialize, ignores FOR UPDATE.
    available = level.select_for_update().values_list("quantity", flat=True).first()
    stock_rules.after_refused_update(available, delta)  # a race or a Conflict raises
    try:
        with transaction.atomic():
            StockLevel.objects.create(
                product_id=product_id, warehouse_id=warehouse_id, quantity=delta
            )
    except IntegrityError:
        # A concurrent movement made the row first: start over and update it.
        raise stock_rules.TryAgain from None


def _transient(exc: Exception) -> bool:
    """A deadlock or a lock wait: the database failed the transaction, not the movement."""
    return isinstance(exc, DatabaseError) and stock_rules.worth_retrying(
        exc.__cause__ or exc, str(exc)
    )
