"""Stock rules without the database: movements, level changes, retries, valuation.

Every change of a level is a conditional UPDATE (only where the result stays within
0..MAX_LEVEL) and the movement that records it, in one transaction. The database
decides, so concurrent requests never oversell: when the UPDATE matches no row,
nothing is written and the request is a ``Conflict`` (or, after a race a fresh
transaction will not meet, tried again). Each framework's stock services run the
queries; what they decide is decided here.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from .errors import Conflict

T = TypeVar("T")

#: The most units one movement may move.
MAX_QUANTITY = 1_000_000
#: The most units one warehouse may hold of one product.
MAX_LEVEL = 1_000_000_000
MAX_REASON_LENGTH = 500

# Failures of a transaction that a fresh one may not meet: PostgreSQL's serialization
# failure and deadlock (SQLSTATEs), MySQL's lock wait timeout and deadlock (error
# numbers), SQLite's write lock held past its timeout (its message).
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})
_RETRY_MYSQL_ERRORS = frozenset({1205, 1213})
_RETRY_SQLITE_MESSAGE = "database is locked"


class MovementType(StrEnum):
    """Why stock moved."""

    RECEIVE = "receive"
    SHIP = "ship"
    ADJUST = "adjust"
    TRANSFER = "transfer"


#: The movements that name one ``warehouse_id`` (a transfer names two).
SINGLE_WAREHOUSE = frozenset({MovementType.RECEIVE, MovementType.SHIP, MovementType.ADJUST})
#: The fields of a movement that depend on its type, in the order they are checked.
MOVEMENT_FIELDS = ("quantity", "warehouse_id", "from_warehouse_id", "to_warehouse_id", "reason")


class TryAgain(Exception):
    """The transaction lost a race that a fresh one will not lose: roll back, retry."""


@dataclass(frozen=True)
class Leg:
    """One level change of a movement: ``delta`` units of the product in a warehouse."""

    warehouse_id: int
    delta: int
    counterpart_warehouse_id: int | None = None


def movement_problem(
    field: str, value: Any, kind: str | None, *, from_warehouse_id: int | None = None
) -> str | None:
    """What is wrong with ``field`` of a movement of type ``kind``, or None.

    ``receive``, ``ship`` and ``adjust`` name a ``warehouse_id``; a ``transfer`` names
    ``from_warehouse_id`` and ``to_warehouse_id``, which differ. ``quantity`` is a
    positive number of units, except for an ``adjust``: signed, not zero, and it
    needs a ``reason``. With ``kind`` None (not valid), only the quantity's zero
    is checked.
    """
    if field == "quantity":
        if value == 0:
            return "must not be zero"
        if value < 0 and kind is not None and kind != MovementType.ADJUST:
            return "must be positive (only an adjust may be negative)"
    elif field == "warehouse_id":
        if kind in SINGLE_WAREHOUSE and value is None:
            return f"is required for a {kind}"
        if kind == MovementType.TRANSFER and value is not None:
            return "is not used by a transfer (it takes from_ and to_warehouse_id)"
    elif field in {"from_warehouse_id", "to_warehouse_id"}:
        if kind == MovementType.TRANSFER and value is None:
            return "is required for a transfer"
        if kind in SINGLE_WAREHOUSE and value is not None:
            return "is only used by a transfer: give warehouse_id"
        if field == "to_warehouse_id" and value is not None and value == from_warehouse_id:
            return "must differ from from_warehouse_id"
    elif field == "reason" and value is None and kind == MovementType.ADJUST:
        return "is required for an adjust"
    return None


def movement_legs(
    kind: str,
    quantity: int,
    *,
    warehouse_id: int | None,
    from_warehouse_id: int | None,
    to_warehouse_id: int | None,
    resolve: Callable[[int | None], int],
) -> list[Leg]:
    """The level changes of a valid movement; ``resolve`` checks that a warehouse exists."""
    if kind == MovementType.TRANSFER:
        source, target = resolve(from_warehouse_id), resolve(to_warehouse_id)
        return [
            Leg(source, -quantity, counterpart_warehouse_id=target),
            Leg(target, quantity, counterpart_warehouse_id=source),
        ]
    delta = -quantity if kind == MovementType.SHIP else quantity
    return [Leg(resolve(warehouse_id), delta)]


def lock_order(legs: list[Leg]) -> list[Leg]:
    """The legs in warehouse order: two transfers between the same warehouses then lock
    their rows in the same order, and cannot deadlock.
    """
    return sorted(legs, key=lambda leg: leg.warehouse_id)


def new_transfer_id(kind: str) -> str | None:
    """The id the two movements of a transfer share; None for any other movement."""
    return uuid.uuid4().hex if kind == MovementType.TRANSFER else None


def allowed_levels(delta: int) -> tuple[int, int]:
    """The levels a change of ``delta`` may apply to: those it leaves within 0..MAX_LEVEL."""
    return max(0, -delta), MAX_LEVEL - max(0, delta)


def after_refused_update(available: int | None, delta: int) -> None:
    """Decide what follows a conditional UPDATE that matched no level row.

    ``available`` is the level read (with a lock) after the UPDATE; None when the
    product never had a row in the warehouse. Returns when the caller should insert
    the row with ``delta`` (the first movement into the warehouse).

    Raises:
        TryAgain: A concurrent movement committed between the UPDATE and the read.
        Conflict: The change would leave 0..MAX_LEVEL.
    """
    if available is None and delta > 0:
        return
    if available is not None and 0 <= available + delta <= MAX_LEVEL:
        raise TryAgain
    if delta > 0:
        raise Conflict(f"A stock level cannot exceed {MAX_LEVEL} units")
    raise Conflict(f"Insufficient stock: {available or 0} available, {-delta} requested")


def with_retries(
    record: Callable[[], T],
    *,
    attempts: int,
    transient: Callable[[Exception], bool],
    rollback: Callable[[], None] = lambda: None,
) -> T:
    """Run ``record`` (one transaction) until it commits, at most ``attempts`` times.

    A ``TryAgain``, or an error ``transient`` accepts (a deadlock, a lock wait), rolls
    back and tries again; any other error rolls back and is raised, as is the last
    transient one. When every attempt lost a race, the movement is a ``Conflict``.
    """
    for attempt in range(1, attempts + 1):
        try:
            return record()
        except Exception as exc:
            rollback()
            if isinstance(exc, TryAgain) or (attempt < attempts and transient(exc)):
                continue
            raise
    raise Conflict("The stock changed too often to apply the movement; try again")


def worth_retrying(driver_error: object, message: str) -> bool:
    """Tell whether the database failed a transaction over a deadlock or a lock wait.

    Args:
        driver_error: The database driver's exception (psycopg's, PyMySQL's, sqlite3's).
        message: The error's text.
    """
    if getattr(driver_error, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    args = getattr(driver_error, "args", None) or ()
    if args and args[0] in _RETRY_MYSQL_ERRORS:
        return True
    return _RETRY_SQLITE_MESSAGE in message


def valuation_totals(rows: Iterable[tuple[str, int, Any]]) -> list[dict[str, Any]]:
    """The value of the stock per currency, from (currency, price, units) rows.

    Amounts are multiplied here, where integers cannot overflow; units may come as a
    DECIMAL (MySQL sums integers into one).
    """
    amounts: dict[str, int] = defaultdict(int)
    units: dict[str, int] = defaultdict(int)
    for currency, price, quantity in rows:
        amounts[currency] += price * int(quantity)
        units[currency] += int(quantity)
    return [
        {"currency": currency, "amount": amounts[currency], "units": units[currency]}
        for currency in sorted(amounts)
    ]
