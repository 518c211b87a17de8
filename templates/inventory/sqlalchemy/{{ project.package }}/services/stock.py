"""Stock levels and the movements that change them, on the database.

``core/stock_rules.py`` decides (the movement's legs, the levels a change may apply
to, what follows a refused change, which failures to retry); this module runs the
conditional UPDATEs and writes the movements, in the request's session.
"""

from typing import Any

from sqlalchemy import Select, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from ..core import stock_rules
from ..core.errors import Conflict
from ..db import rows_matched, utcnow
from ..models.stock import Movement, StockLevel
from ..models.users import Role, User
from ..schemas.common import Page
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
    return stock_rules.with_retries(
        lambda: _record(session, actor_id, data),
        attempts=attempts,
        transient=_transient,
        rollback=session.rollback,
    )


def _record(session: Session, actor_id: int, data: MovementCreate) -> MovementReceipt:
    product = get_product(session, data.product_id)
    if not product.is_active:
        raise Conflict("Product is inactive: it takes no movements")
    legs = stock_rules.movement_legs(
        data.type,
        data.quantity,
        warehouse_id=data.warehouse_id,
        from_warehouse_id=data.from_warehouse_id,
        to_warehouse_id=data.to_warehouse_id,
        resolve=lambda warehouse_id: get_warehouse(session, warehouse_id or 0).id,
    )
    for leg in stock_rules.lock_order(legs):
        _change_level(session, product.id, leg.warehouse_id, leg.delta)
    transfer_id = stock_rules.new_transfer_id(data.type)
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


def _change_level(session: Session, product_id: int, warehouse_id: int, delta: int) -> None:
    """Add ``delta`` to a level if it stays within 0..MAX_LEVEL, else raise ``Conflict``.

    The first movement into a warehouse makes the level row. Rows are changed only
    with UPDATE, never an upsert: on MySQL an upsert locks the primary key before the
    secondary index that an UPDATE may lock first, and the two would deadlock.
    """
    low, high = stock_rules.allowed_levels(delta)
    matched = rows_matched(
        session,
        update(StockLevel)
        .where(
            StockLevel.product_id == product_id,
            StockLevel.warehouse_id == warehouse_id,
            StockLevel.quantity.between(low, high),
        )
        .values(quantity=StockLevel.quantity + delta, updated_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    if matched == 1:
        return
    # A locking read sees the latest commit, as the UPDATE did (MySQL's plain reads
    # see the transaction's snapshot); SQLite, where writes serialize, has no FOR UPDATE.
    available = session.scalar(
        select(StockLevel.quantity)
        .where(StockLevel.product_id == product_id, StockLevel.warehouse_id == warehouse_id)
        .with_for_update()
    )
    stock_rules.after_refused_update(available, delta)  # a race or a Conflict raises
    row = {"product_id": product_id, "warehouse_id": warehouse_id, "quantity": delta}
    try:
        session.execute(insert(StockLevel).values(updated_at=utcnow(), **row))
    except IntegrityError:
        # A concurrent movement made the row first: start over and update it.
        raise stock_rules.TryAgain from None


def _level(session: Session, product_id: int, warehouse_id: int) -> StockLevel:
    """Read a level as this transaction left it (not from the session's cache)."""
    return session.scalars(
        select(StockLevel)
        .where(StockLevel.product_id == product_id, StockLevel.warehouse_id == warehouse_id)
        .execution_options(populate_existing=True)
    ).one()


def _transient(exc: Exception) -> bool:
    """A deadlock or a lock wait: the database failed the transaction, not the movement."""
    return isinstance(exc, DBAPIError) and stock_rules.worth_retrying(exc.orig, str(exc.orig))
