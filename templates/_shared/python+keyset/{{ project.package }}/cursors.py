"""Keyset (cursor) pages of a list: the cursor, and which rows come after it.

A page asked with ``?cursor=`` starts after the row the cursor names: the cursor holds
that row's sort keys and id, and the page's query gains ``(keys, id) > (values)`` (``<``
for a descending sort), which the sort's index serves at any depth, where an offset page
reads and drops every row before it. The cursor is opaque to clients: base64url of a
JSON array ``[sort, key values..., id]``. It is not signed: it only moves where a page
starts, inside the rows the caller may see anyway; anything that does not decode to the
keys of the query's sort is a 422. Each stack turns ``groups`` into its SQL.

``total`` counts the matching rows up to ``COUNT_CAP`` (counting a million rows reads a
million index entries); a list with more reports ``COUNT_CAP``.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .core.errors import ValidationFailed

#: ``total`` is exact up to this count; a list with more matching rows reports it.
COUNT_CAP = 10_000
MAX_CURSOR_LENGTH = 1024
_MAX_ID = 2**63


@dataclass(frozen=True)
class Key:
    """One sort key: its expression (the stack's), its value on a loaded row, how to read
    it back from a cursor, and whether it always sorts ascending (a nulls-last key)."""

    expression: Any
    value: Callable[[Any], Any]
    parse: Callable[[Any], Any]
    always_ascending: bool = False


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a timestamp")
    return datetime.fromisoformat(value)


def parse_optional_datetime(value: Any) -> datetime | None:
    """A timestamp, or null (a post never published)."""
    return None if value is None else parse_datetime(value)


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
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < _MAX_ID:
        raise ValueError("not an id")
    return value


def invalid(message: str) -> ValidationFailed:
    """The 422 of a bad ``cursor``."""
    return ValidationFailed([{"field": "cursor", "message": message}])


def check_exclusive(cursor: str | None, offset_given: bool) -> None:
    """A cursor and an offset name the start of a page twice: a 422."""
    if cursor is not None and offset_given:
        raise invalid("Give either a cursor or an offset, not both")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def encode_cursor(sort: str, keys: Sequence[Key], row: Any) -> str:
    """The cursor of the page that starts after ``row``."""
    values = [sort, *(_plain(key.value(row)) for key in keys)]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, keys: Sequence[Key]) -> list[Any]:
    """The key values of ``cursor`` (a 422 for anything not made for ``sort``)."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid("Cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        raise invalid("Not a cursor of this list") from None
    if not isinstance(values, list) or len(values) != len(keys) + 1:
        raise invalid("Not a cursor of this list")
    if values[0] != sort:
        raise invalid("The cursor belongs to another sort order")
    try:
        return [key.parse(value) for key, value in zip(keys, values[1:], strict=True)]
    except (TypeError, ValueError):
        raise invalid("Not a cursor of this list") from None


def directions(keys: Sequence[Key], descending: bool) -> list[bool]:
    """Whether each key sorts descending."""
    return [descending and not key.always_ascending for key in keys]


def groups(
    keys: Sequence[Key], values: Sequence[Any], descending: bool
) -> list[tuple[bool, list[tuple[Any, Any]]]]:
    """The keys and values, in runs of one direction: ``(descending, [(expression,
    value), ...])``.

    The rows after the cursor's row are, for each run in turn, those equal on every run
    before it and after it on this run, compared as one row value ``(a, b) > (x, y)``
    (an index on (a, b) serves that as a range). A null value (a task without a due
    date) compares by ``IS NULL``: the rows after it are the other rows without one.
    """
    found: list[tuple[bool, list[tuple[Any, Any]]]] = []
    for down, key, value in zip(directions(keys, descending), keys, values, strict=True):
        if found and found[-1][0] == down:
            found[-1][1].append((key.expression, value))
        else:
            found.append((down, [(key.expression, value)]))
    return found
