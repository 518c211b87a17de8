"""Keyset (cursor) pagination beside limit/offset, and a total that stays cheap.

A page asked with ``?cursor=`` starts after the row the cursor names: the cursor holds
that row's sort keys and id, and the page's statement gains ``(keys, id) > (values)``
(``<`` for a descending sort), which the sort's index serves at any depth. An offset
page reads and drops every row before it; a cursor page reads only its own rows.

The cursor is opaque to clients: base64url of a JSON array ``[sort, key values...,
id]``. It is not signed: it only moves where a page starts, inside the rows the caller
may see anyway. Anything that does not decode to the keys of the query's sort is a 422.

``total`` counts the matching rows up to ``COUNT_CAP`` (a count of a million rows reads
a million index entries); a list with more reports ``COUNT_CAP``.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session

from ..core.errors import ValidationFailed
from ..schemas.common import PageQuery

#: ``total`` is exact up to this count; a list with more matching rows reports it.
COUNT_CAP = 10_000
MAX_CURSOR_LENGTH = 1024


@dataclass(frozen=True)
class Key:
    """One sort key: its SQL expression, its value on a loaded row, how to read it back
    from a cursor, and whether it always sorts ascending (a nulls-last key)."""

    expression: Any
    value: Callable[[Any], Any]
    parse: Callable[[Any], Any]
    always_ascending: bool = False


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a timestamp")
    return datetime.fromisoformat(value)


def parse_date(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not a date")
    return date.fromisoformat(value)


def parse_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def parse_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("not a boolean")
    return value


def parse_id(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**63:
        raise ValueError("not an id")
    return value


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed([{"field": "cursor", "message": message}])


def encode_cursor(sort: str, keys: Sequence[Key], row: Any) -> str:
    """The cursor of the page that starts after ``row``."""
    values = [sort, *(_plain(key.value(row)) for key in keys)]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, keys: Sequence[Key]) -> list[Any]:
    """The key values of ``cursor`` (a 422 for anything not made for ``sort``)."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise _invalid("Cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        raise _invalid("Not a cursor of this list") from None
    if not isinstance(values, list) or len(values) != len(keys) + 1:
        raise _invalid("Not a cursor of this list")
    if values[0] != sort:
        raise _invalid("The cursor belongs to another sort order")
    try:
        return [key.parse(value) for key, value in zip(keys, values[1:], strict=True)]
    except (TypeError, ValueError):
        raise _invalid("Not a cursor of this list") from None


def order_by(keys: Sequence[Key], descending: bool) -> list[Any]:
    """The ORDER BY of ``keys``."""
    return [
        key.expression.asc() if key.always_ascending or not descending else key.expression.desc()
        for key in keys
    ]


def after(keys: Sequence[Key], values: Sequence[Any], descending: bool) -> ColumnElement[bool]:
    """The rows that sort after the row whose keys are ``values``.

    Consecutive keys of one direction compare as one row value, ``(a, b) > (x, y)``,
    which an index on (a, b) serves as a range; a key that changes direction (the
    nulls-last key of the due date) splits the comparison into ``OR`` branches. A null
    value (a task without a due date) is compared by ``IS NULL``: the rows after it are
    the other rows without one.
    """
    groups: list[tuple[bool, list[tuple[Any, Any]]]] = []
    for key, value in zip(keys, values, strict=True):
        down = descending and not key.always_ascending
        if groups and groups[-1][0] == down:
            groups[-1][1].append((key.expression, value))
        else:
            groups.append((down, [(key.expression, value)]))
    branches: list[ColumnElement[bool]] = []
    equal: list[ColumnElement[bool]] = []
    for down, pairs in groups:
        nulls = [expression.is_(None) for expression, value in pairs if value is None]
        kept = [(expression, value) for expression, value in pairs if value is not None]
        left = tuple_(*(expression for expression, _ in kept))
        right = tuple_(*(value for _, value in kept))
        compare = left < right if down else left > right
        branches.append(and_(*equal, *nulls, compare))
        equal.extend(nulls)
        equal.extend(expression == value for expression, value in kept)
    return or_(*branches)


def paginate_keyset(
    session: Session,
    statement: Select[Any],
    page: PageQuery,
    cursor: str | None,
    sort: str,
    keys: Sequence[Key],
    descending: bool,
) -> tuple[list[Any], int, str | None]:
    """One page of ``statement`` by offset or after ``cursor``: its rows, the capped
    total and the cursor of the next page (None on the last page)."""
    if cursor is not None and "offset" in page.model_fields_set:
        raise ValidationFailed(
            [{"field": "cursor", "message": "Give either a cursor or an offset, not both"}]
        )
    # The rows matched, counted up to the cap: the subquery stops at COUNT_CAP rows and
    # reads only what the filter needs (an index, not the rows' columns).
    matched: Select[Any] = statement.order_by(None).with_only_columns(
        literal_column("1"), maintain_column_froms=True
    )
    total = session.scalar(select(func.count()).select_from(matched.limit(COUNT_CAP).subquery()))
    paged = statement.order_by(*order_by(keys, descending)).limit(page.limit + 1)
    if cursor is not None:
        paged = paged.where(after(keys, decode_cursor(cursor, sort, keys), descending))
    else:
        paged = paged.offset(page.offset)
    rows = list(session.scalars(paged))
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_cursor = encode_cursor(sort, keys, rows[-1]) if more and rows else None
    return rows, total or 0, next_cursor
