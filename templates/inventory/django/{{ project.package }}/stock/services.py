"""Stock levels and the movements that change them.

Every change of a level is a conditional UPDATE (``quantity = quantity + delta`` only
where the result stays within 0..MAX_LEVEL) and the movement that records it, in one
transaction. The database decides, so concurrent requests never oversell: when the
UPDATE matches no row, nothing is written and the request is a ``Conflict``.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ..accounts.models import User
from ..core.errors import Conflict
from ..products.fields import MAX_LEVEL
from ..products.services import get_product
from ..warehouses.services import get_warehouse
from .models import Movement, MovementType, StockLevel

# Failures of a transaction that a fresh one may not meet: PostgreSQL's serialization
# failure and deadlock (SQLSTATEs), MySQL's lock wait timeout and deadlock (error
# numbers), SQLite's write lock held past its timeout (its message).
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})
_RETRY_MYSQL_ERRORS = frozenset({1205, 1213})
_RETRY_SQLITE_MESSAGE = "database is locked"


class _TryAgain(Exception):
    """The transaction lost a race that a fresh one will not lose: roll back, retry."""


@dataclass(frozen=True)
class _Leg:
    """One level change of a movement: ``delta`` units of the product in a warehouse."""

    warehouse_id: int
    delta: int
    counterpart_warehouse_id: int | None = None


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
    attempts = settings.STOCK_MOVEMENT_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return _record(actor, data)
        except _TryAgain:
            continue
        except DatabaseError as exc:
            if attempt >= attempts or not _worth_retrying(exc):
                raise
    raise Conflict("The stock changed too often to apply the movement; try again")


def _record(actor: User, data: dict[str, Any]) -> Receipt:
    product = get_product(data["product_id"])
    if not product.is_active:
        raise Conflict("Product is inactive: it takes no movements")
    legs = _legs(data)
    # Change the levels in warehouse order, so that two transfers between the same
    # warehouses lock their rows in the same order and cannot deadlock.
    for leg in sorted(legs, key=lambda leg: leg.warehouse_id):
        _change_level(product.pk, leg.warehouse_id, leg.delta)
    transfer_id = uuid.uuid4().hex if data["type"] == MovementType.TRANSFER else None
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


def _legs(data: dict[str, Any]) -> list[_Leg]:
    """The level changes of a movement; raise ``NotFound`` for an unknown warehouse."""
    quantity = data["quantity"]
    if data["type"] == MovementType.TRANSFER:
        source = get_warehouse(data.get("from_warehouse_id")).pk
        target = get_warehouse(data.get("to_warehouse_id")).pk
        return [
            _Leg(source, -quantity, counterpart_warehouse_id=target),
            _Leg(target, quantity, counterpart_warehouse_id=source),
        ]
    warehouse = get_warehouse(data.get("warehouse_id")).pk
    delta = -quantity if data["type"] == MovementType.SHIP else quantity
    return [_Leg(warehouse, delta)]


def _change_level(product_id: int, warehouse_id: int, delta: int) -> None:
    """Add ``delta`` to a level if it stays within 0..MAX_LEVEL, else raise ``Conflict``.

    The first movement into a warehouse makes the level row. Rows are changed only
    with UPDATE, never an upsert: on MySQL an upsert locks the primary key before the
    secondary index that an UPDATE may lock first, and the two would deadlock.
    """
    level = StockLevel.objects.filter(product_id=product_id, warehouse_id=warehouse_id)
    if delta > 0:
        within = level.filter(quantity__lte=MAX_LEVEL - delta)
    else:
        within = level.filter(quantity__gte=-delta)
    if within.update(quantity=F("quantity") + delta, updated_at=timezone.now()) == 1:
        return
    # A locking read sees the latest commit, as the UPDATE did (MySQL's plain reads
    # see the transaction's snapshot); SQLite, where writes serialize, ignores FOR UPDATE.
    available = level.select_for_update().values_list("quantity", flat=True).first()
    if available is None and delta > 0:
        try:
            with transaction.atomic():
                StockLevel.objects.create(
                    product_id=product_id, warehouse_id=warehouse_id, quantity=delta
                )
        except IntegrityError:
            # A concurrent movement made the row first: start over and update it.
            raise _TryAgain from None
        return
    if available is not None and 0 <= available + delta <= MAX_LEVEL:
        # A concurrent movement committed between the UPDATE and this read: start over.
        raise _TryAgain
    if delta > 0:
        raise Conflict(f"A stock level cannot exceed {MAX_LEVEL} units")
    raise Conflict(f"Insufficient stock: {available or 0} available, {-delta} requested")


def _worth_retrying(exc: DatabaseError) -> bool:
    """Tell whether the database failed the transaction over a deadlock or a lock wait."""
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    args = getattr(cause, "args", None) or exc.args
    if args and args[0] in _RETRY_MYSQL_ERRORS:
        return True
    return _RETRY_SQLITE_MESSAGE in str(exc)
