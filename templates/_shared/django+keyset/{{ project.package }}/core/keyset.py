"""Keyset (cursor) pages beside limit/offset in the Django ORM, with a capped total
(the cursor itself: ``cursors``)."""

from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import Expression, Field, Func, IntegerField, Q, QuerySet, Value
from django.db.models.lookups import Exact, GreaterThan, IsNull, LessThan
from rest_framework.serializers import Serializer

from ..cursors import COUNT_CAP, Key, check_exclusive, decode_cursor, encode_cursor, groups
from .rows import serialize_rows


class _Row(Func):
    """A row value, ``(a, b, ...)``, compared as a whole."""

    template = "(%(expressions)s)"
    output_field = Field()


def after(keys: Sequence[Key], values: Sequence[Any], descending: bool) -> Q:
    """The rows that sort after the row whose keys are ``values`` (``cursors.groups``)."""
    branches = Q(pk__in=[])
    equal: list[Expression] = []
    for down, pairs in groups(keys, values, descending):
        nulls = [IsNull(expression, True) for expression, value in pairs if value is None]
        kept = [(expression, value) for expression, value in pairs if value is not None]
        left = _Row(*(expression for expression, _ in kept))
        right = _Row(*(Value(value) for _, value in kept))
        branch = Q(LessThan(left, right) if down else GreaterThan(left, right))
        for condition in (*equal, *nulls):
            branch &= Q(condition)
        branches |= branch
        equal.extend(nulls)
        equal.extend(Exact(expression, Value(value)) for expression, value in kept)
    return branches


def capped_count(parts: Sequence[QuerySet[Any]]) -> int:
    """How many rows the disjoint ``parts`` match together, counted up to the cap.

    ``SELECT COUNT(*) FROM (part UNION ALL part ... LIMIT cap)``: the database reads the
    parts one after the other and stops at COUNT_CAP rows, each part by its own index
    (one part: no UNION).
    """
    one = Value(1, output_field=IntegerField())
    first, *others = [part.order_by().values(one=one) for part in parts]
    rows = (first.union(*others, all=True) if others else first)[:COUNT_CAP]
    # Counted around the ORM's own SQL: QuerySet.count() of a sliced query leaves a
    # constant column out of its subquery (and selecting the primary key instead
    # would read the table for each row, where the constant lets an index answer). The
    # SQL is the ORM's, its values bound parameters.
    sql, parameters = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) matched", parameters)  # noqa: S608
        (count,) = cursor.fetchone()
    return int(count)


def paginate_keyset(
    queryset: QuerySet[Any],
    query: dict[str, Any],
    offset_given: bool,
    keys: Sequence[Key],
    serializer_class: type[Serializer[Any]],
    counted: Sequence[QuerySet[Any]] | None = None,
) -> dict[str, Any]:
    """One page of an ordered ``queryset`` by offset or after ``query["cursor"]``, the
    total counted up to ``COUNT_CAP`` and the cursor of the next page (null on the
    last). ``counted``, if given, is ``queryset`` as disjoint parts whose union it is,
    for the total (``capped_count``)."""
    cursor: str | None = query.get("cursor")
    check_exclusive(cursor, offset_given)
    limit, offset, sort = query["limit"], query["offset"], query["sort"]
    total = capped_count(counted or [queryset])
    if cursor is not None:
        queryset = queryset.filter(after(keys, decode_cursor(cursor, sort, keys), sort[0] == "-"))
        offset = 0
    items = serialize_rows(queryset[offset : offset + limit + 1], serializer_class)
    more = len(items) > limit
    items = items[:limit]
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": query["offset"],
        "next_cursor": encode_cursor(sort, keys, items[-1]) if more and items else None,
    }
