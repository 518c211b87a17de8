"""Keyset (cursor) pages beside limit/offset in the Django ORM, with a capped total
(the cursor itself: ``cursors``)."""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Expression,
    Field,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.lookups import Exact, GreaterThan, IsNull, LessThan
from rest_framework.serializers import Serializer

from ..cursors import COUNT_CAP, Key, check_exclusive, decode_cursor, encode_cursor, groups
from . import statements
from .rows import columns_of, serialize_rows, serialize_values


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


def capped(parts: Sequence[QuerySet[Any]]) -> QuerySet[Any]:
    """The disjoint ``parts``' rows together, up to the cap, as a constant each.

    ``part UNION ALL part ... LIMIT cap``: the database reads the parts one after the
    other and stops at COUNT_CAP rows, each part by its own index (one part: no UNION);
    counted by ``statements.count``.
    """
    one = Value(1, output_field=IntegerField())
    first, *others = [part.order_by().values(one=one) for part in parts]
    return (first.union(*others, all=True) if others else first)[:COUNT_CAP]


Values = Mapping[str, Any]


@dataclass(frozen=True)
class Listing:
    """A list as statements (``core.statements``), compiled once per shape.

    ``rows(values)`` is the list's ordered queryset of ``model`` and ``parts(values)``
    (if given) the disjoint querysets whose union it is, for the total; ``values`` are
    bound into their SQL, by name. ``key`` names everything else the querysets depend
    on (the sort, a filter's boolean, the viewer's role); which values are given is
    part of the shape by itself. ``prefetch``: the relations to bring along when the
    page's serializer reads objects (``prefetch_related``) rather than rows.
    """

    key: Hashable
    values: Values
    model: type[Model]
    rows: Callable[[Values], QuerySet[Any]]
    parts: Callable[[Values], Sequence[QuerySet[Any]]] | None = None
    prefetch: tuple[str, ...] = ()

    def counted(self, values: Values) -> Sequence[QuerySet[Any]]:
        """The querysets whose rows the total counts."""
        return [self.rows(values)] if self.parts is None else self.parts(values)


def paginate_keyset(
    listing: Listing,
    query: dict[str, Any],
    offset_given: bool,
    keys: Sequence[Key],
    serializer_class: type[Serializer[Any]],
) -> dict[str, Any]:
    """One page of ``listing`` by offset or after ``query["cursor"]``, the total counted
    up to ``COUNT_CAP`` (``capped``) and the cursor of the next page (null on the last)."""
    cursor: str | None = query.get("cursor")
    check_exclusive(cursor, offset_given)
    limit, offset, sort = query["limit"], query["offset"], query["sort"]
    after_values = None if cursor is None else decode_cursor(cursor, sort, keys)
    if after_values is not None:
        offset = 0
    total, items = _listed_page(
        listing, sort, keys, after_values, serializer_class, limit + 1, offset
    )
    more = len(items) > limit
    items = items[:limit]
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": query["offset"],
        "next_cursor": encode_cursor(sort, keys, items[-1]) if more and items else None,
    }


def _listed_page(
    listing: Listing,
    sort: str,
    keys: Sequence[Key],
    after_values: Sequence[Any] | None,
    serializer_class: type[Serializer[Any]],
    limit: int,
    offset: int,
) -> tuple[int, list[Any]]:
    """The capped total and ``limit`` items of ``listing`` from ``offset`` (after the
    cursor's ``after_values`` if given), each query compiled once for its shape."""
    names = tuple(listing.values)
    total = statements.count(
        ("total", listing.key, names),
        lambda *values: capped(listing.counted(dict(zip(names, values, strict=True)))),
        tuple(listing.values.values()),
    )
    # A cursor's booleans and nulls shape the SQL (IS NULL, which branch): they are in
    # the key; its other values are bound.
    shape = () if after_values is None else tuple(_shape_of(value) for value in after_values)
    bound = [v for v, kind in zip(after_values or (), shape, strict=True) if kind == _BOUND]
    columns = columns_of(serializer_class, listing.model)  # None: DRF reads the objects

    def page(*values: Any) -> QuerySet[Any]:
        rows = listing.rows(dict(zip(names, values[: len(names)], strict=True)))
        if after_values is not None:
            given = iter(values[len(names) :])
            cursor = [next(given) if kind == _BOUND else kind for kind in shape]
            rows = rows.filter(after(keys, cursor, sort[0] == "-"))
        return rows if columns is None else rows.values(*columns)

    found = statements.fetch(
        ("page", listing.key, names, sort, serializer_class, shape),
        page,
        (*listing.values.values(), *bound),
        limit=limit,
        offset=offset,
    )
    if columns is not None:
        return total, serialize_values(found, serializer_class, listing.model)
    prefetch_related_objects(found, *listing.prefetch)
    return total, serialize_rows(found, serializer_class)


#: In a cursor's shape, a value that is bound (not a None or a boolean, which are kept).
_BOUND = "bound"


def _shape_of(value: Any) -> Any:
    """None and booleans as themselves (part of a statement's key), else ``_BOUND``."""
    return value if value is None or isinstance(value, bool) else _BOUND
