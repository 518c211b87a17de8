"""Stock levels and the movements that change them.

Every change of a level is a conditional UPDATE (``quantity = quantity + :delta`` only
where the result stays within 0..MAX_LEVEL) and the movement that records it, in one
transaction. The database decides, so concurrent requests never oversell: when the
UPDATE matches no row, nothing is written and the request is a ``Conflict``.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import AppError, Conflict
from ..db import utcnow
from ..models.stock import Movement, MovementType, StockLevel
from ..models.users import Role, User
from ..schemas.common import Page
from ..schemas.fields import MAX_LEVEL
from ..schemas.stock import (
    MovementCreate,
    MovementPublic,
    MovementQuery,
    MovementReceipt,
    StockLevelPublic,
    StockQuery,
)
from .access import require_role
from .pagination import paginate
from .products import get_product
from .warehouses import get_warehouse

# Failures of a transaction that a fresh one may not meet: PostgreSQL's serialization
# failure and deadlock (SQLSTATEs), MySQL's lock wait timeout and deadlock (error
# numbers), SQLite's write lock held past busy_timeout (its message).
_RETRY_SQLSTATES = {"40001", "40P01"}
_RETRY_MYSQL_ERRORS = {1205, 1213}
_RETRY_SQLITE_MESSAGE = "database is locked"


class _TryAgain(Exception):
    """The transaction lost a race that a fresh one will not lose: roll back, retry."""


@dataclass(frozen=True)
class _Leg:
    """One level change of a movement: ``delta`` units of the product in a warehouse."""

    warehouse_id: int
    delta: int
    counterpart_warehouse_id: int | None = None


def list_levels(session: Session, query: StockQuery) -> Page[StockLevelPublic]:
    """One page of stock levels, by product then warehouse."""
    statement: Select[Any] = select(StockLevel)
    if query.product_id is not None:
        statement = statement.where(StockLevel.product_id == query.product_id)
    if query.warehouse_id is not None:
        statement = statement.where(StockLevel.warehouse_id == query.warehouse_id)
    order = [StockLevel.product_id, StockLevel.warehouse_id]
    return paginate(session, statement, query, StockLevelPublic, order)


def list_movements(session: Session, query: MovementQuery) -> Page[MovementPublic]:
    """One page of the ledger, newest first."""
    statement: Select[Any] = select(Movement)
    if query.product_id is not None:
        statement = statement.where(Movement.product_id == query.product_id)
    if query.warehouse_id is not None:
        statement = statement.where(Movement.warehouse_id == query.warehouse_id)
    if query.type is not None:
        statement = statement.where(Movement.type == query.type)
    return paginate(session, statement, query, MovementPublic, [Movement.id.desc()])


def record_movement(
    session: Session, actor: User, data: MovementCreate, *, attempts: int = 3
) -> MovementReceipt:
    """Apply a movement (managers and admins) and return what it wrote.

    A transaction the database fails over a deadlock or a lock wait, or that loses
    the race to make a new level row, is tried again, up to ``attempts`` times in all.

    Raises:
        NotFound: The product or a warehouse does not exist.
        Conflict: The product is inactive, or a level would leave 0..MAX_LEVEL;
            then nothing is written.
    """
    require_role(actor, Role.MANAGER)
    actor_id = actor.id
    for attempt in range(1, attempts + 1):
        try:
            return _record(session, actor_id, data)
        except AppError:
            session.rollback()
            raise
        except _TryAgain:
            session.rollback()
        except DBAPIError as exc:
            session.rollback()
            if attempt >= attempts or not _worth_retrying(exc):
                raise
    raise Conflict("The stock changed too often to apply the movement; try again")


def _record(session: Session, actor_id: int, data: MovementCreate) -> MovementReceipt:
    product = get_product(session, data.product_id)
    if not product.is_active:
        raise Conflict("Product is inactive: it takes no movements")
    legs = _legs(session, data)
    # Change the levels in warehouse order, so that two transfers between the same
    # warehouses lock their rows in the same order and cannot deadlock.
    for leg in sorted(legs, key=lambda leg: leg.warehouse_id):
        _change_level(session, product.id, leg.warehouse_id, leg.delta)
    transfer_id = uuid.uuid4().hex if data.type is MovementType.TRANSFER else None
    movements = [
        Movement(
            type=data.type,
            product_id=product.id,
            warehouse_id=leg.warehouse_id,
            quantity=leg.delta,
            reason=data.reason,
            transfer_id=transfer_id,
            counterpart_warehouse_id=leg.counterpart_warehouse_id,
            created_by_id=actor_id,
        )
        for leg in legs
    ]
    session.add_all(movements)
    session.flush()
    levels = [_level(session, product.id, leg.warehouse_id) for leg in legs]
    receipt = MovementReceipt(
        movements=[MovementPublic.model_validate(m) for m in movements],
        levels=[StockLevelPublic.model_validate(level) for level in levels],
    )
    session.commit()
    return receipt


def _legs(session: Session, data: MovementCreate) -> list[_Leg]:
    """The level changes of a movement; raise ``NotFound`` for an unknown warehouse."""
    if data.type is MovementType.TRANSFER:
        source = _warehouse_id(session, data.from_warehouse_id)
        target = _warehouse_id(session, data.to_warehouse_id)
        return [
            _Leg(source, -data.quantity, counterpart_warehouse_id=target),
            _Leg(target, data.quantity, counterpart_warehouse_id=source),
        ]
    warehouse = _warehouse_id(session, data.warehouse_id)
    delta = -data.quantity if data.type is MovementType.SHIP else data.quantity
    return [_Leg(warehouse, delta)]


def _warehouse_id(session: Session, warehouse_id: int | None) -> int:
    # MovementCreate makes sure the warehouses a movement needs are given.
    return get_warehouse(session, warehouse_id or 0).id


def _change_level(session: Session, product_id: int, warehouse_id: int, delta: int) -> None:
    """Add ``delta`` to a level if it stays within 0..MAX_LEVEL, else raise ``Conflict``.

    The first movement into a warehouse makes the level row. Rows are changed only
    with UPDATE, never an upsert: on MySQL an upsert locks the primary key before the
    secondary index that an UPDATE may lock first, and the two would deadlock.
    """
    if delta > 0:
        within = StockLevel.quantity <= MAX_LEVEL - delta
    else:
        within = StockLevel.quantity >= -delta
    result = session.execute(
        update(StockLevel)
        .where(
            StockLevel.product_id == product_id,
            StockLevel.warehouse_id == warehouse_id,
            within,
        )
        .values(quantity=StockLevel.quantity + delta, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return
    # A locking read sees the latest commit, as the UPDATE did (MySQL's plain reads
    # see the transaction's snapshot); SQLite, where writes serialize, has no FOR UPDATE.
    available = session.scalar(
        select(StockLevel.quantity)
        .where(StockLevel.product_id == product_id, StockLevel.warehouse_id == warehouse_id)
        .with_for_update()
    )
    if available is None and delta > 0:
        row = {"product_id": product_id, "warehouse_id": warehouse_id, "quantity": delta}
        try:
            session.execute(insert(StockLevel).values(updated_at=utcnow(), **row))
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


def _level(session: Session, product_id: int, warehouse_id: int) -> StockLevel:
    """Read a level as this transaction left it (not from the session's cache)."""
    return session.scalars(
        select(StockLevel)
        .where(StockLevel.product_id == product_id, StockLevel.warehouse_id == warehouse_id)
        .execution_options(populate_existing=True)
    ).one()


def _worth_retrying(exc: DBAPIError) -> bool:
    """Tell whether the database failed the transaction over a deadlock or a lock wait."""
    original = exc.orig
    if getattr(original, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    args = getattr(original, "args", ())
    if args and args[0] in _RETRY_MYSQL_ERRORS:
        return True
    return _RETRY_SQLITE_MESSAGE in str(original)
