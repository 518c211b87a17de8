"""Queries of the ORM compiled once for their shape, then run with each request's values.

Django builds and compiles a queryset anew for every request; for a list that is about a
third of the request's time, for the user of a bearer token a seventh. A statement here
is a function from values to a queryset (``lambda pk: User.objects.filter(pk=pk)``) kept
under a key that names everything else its SQL depends on (which filters are given, the
sort). The first run builds it with stand-in values and compiles it, twice, to find which
parameters the values fill; later runs put their values there and run the same SQL through
Django's cursor (its error wrapping, its connection checks), the rows read back through
the compiler's own converters.

Only values that reach the SQL as they are can be bound so: ints, strings, dates and
datetimes that the compiler passes through unchanged. A statement whose values the ORM
transforms on the way (a ``LIKE`` pattern around a string, a datetime written as text on
SQLite), or whose SQL changes with the values, is built and run as a queryset each time,
as before: same rows, just not faster. Booleans and None are never bound: they belong in
the key.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable
from django.db.models.sql.compiler import SQLCompiler

#: Statements kept (least recently used first out): a key per query shape.
STATEMENTS_KEPT = 256

Build = Callable[..., QuerySet[Any]]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]  # the constant parameters; the values' slots are overwritten
    # For each value, the parameters it fills, each with the type the ORM wraps it in
    # there (psycopg's Int4 for an integer Value on PostgreSQL) or None.
    slots: tuple[tuple[tuple[int, type | None], ...], ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    names: tuple[str, ...] | None  # values(): the keys of each row's dict
    model: type[Model] | None  # a model's instances: its class and their fields
    fields: tuple[str, ...] = ()


_kept: OrderedDict[tuple[Hashable, tuple[type, ...]], _Compiled | None] = OrderedDict()
_lock = threading.Lock()


def fetch(
    key: Hashable,
    build: Build,
    values: Sequence[Any],
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[Any]:
    """The rows of ``build(*values)`` (dicts for ``values()``, else model instances),
    ``limit`` of them from ``offset`` if given.

    ``key`` must differ between any two calls whose querysets differ otherwise than by
    ``values``; ``build`` is only called when the statement is not kept yet.
    """
    compiled = _compiled(("fetch", key, limit is not None), build, values, limit is not None)
    if compiled is None:
        queryset = build(*values)
        if limit is not None:
            queryset = queryset[offset : offset + limit]
        return list(queryset)
    parameters = _bound(compiled, values)
    if limit is not None:
        parameters += [limit, offset]
    return _read(compiled, _run(compiled.sql, parameters))


def count(key: Hashable, build: Build, values: Sequence[Any]) -> int:
    """How many rows ``build(*values)`` has: ``SELECT COUNT(*)`` around its SQL.

    Around the ORM's SQL rather than ``QuerySet.count()``, which leaves a sliced query's
    constant column out of its subquery (and selecting the primary key instead would read
    the table for each row, where a constant lets an index answer).
    """
    compiled = _compiled(("count", key), build, values, False)
    if compiled is None:
        sql, parameters = build(*values).query.sql_with_params()
        return _count(sql, list(parameters))
    return _count(compiled.sql, _bound(compiled, values))


def _count(sql: str, parameters: list[Any]) -> int:
    (row,) = _run(f"SELECT COUNT(*) FROM ({sql}) counted", parameters)  # noqa: S608
    return int(row[0])


def _bound(compiled: _Compiled, values: Sequence[Any]) -> list[Any]:
    parameters = list(compiled.params)
    for slot, value in zip(compiled.slots, values, strict=True):
        for position, wrap in slot:
            parameters[position] = value if wrap is None else wrap(value)
    return parameters


def _run(sql: str, parameters: list[Any]) -> list[Any]:
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())


def _read(compiled: _Compiled, rows: list[Any]) -> list[Any]:
    if compiled.converters:
        connection = connections["default"]
        converted = []
        for row in rows:
            row = list(row)
            for position, converters, expression in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(row)
        rows = converted
    names, model, fields = compiled.names, compiled.model, compiled.fields
    if model is not None:
        return [model.from_db("default", fields, row) for row in rows]
    return [dict(zip(names or (), row, strict=True)) for row in rows]


def _compiled(key: Hashable, build: Build, values: Sequence[Any], sliced: bool) -> _Compiled | None:
    # The values' types too: a statement compiled for a date is not bound with a string.
    kept_as = (key, tuple(type(value) for value in values))
    with _lock:
        if kept_as in _kept:
            _kept.move_to_end(kept_as)
            return _kept[kept_as]
    compiled = _compile(build, values, sliced)
    with _lock:
        _kept[kept_as] = compiled
        while len(_kept) > STATEMENTS_KEPT:
            _kept.popitem(last=False)
    return compiled


def _stand_in(value: Any, number: int, round_: int) -> Any:
    """A value of ``value``'s type that no query holds: round 0 and 1 differ."""
    if isinstance(value, bool) or value is None:
        raise TypeError("booleans and None are a statement's shape, not its values")
    if isinstance(value, int):
        return 1_987_650_000 + 1000 * round_ + number
    if isinstance(value, str):
        return f"\u2042stand-in {round_} {number}\u2042"
    if isinstance(value, datetime):
        return datetime(1901 + round_, 2, 3, 4, 5, 6, tzinfo=UTC) + timedelta(microseconds=number)
    if isinstance(value, date):
        return date(1901 + round_, 2, 3) + timedelta(days=number)
    raise TypeError(f"{type(value).__name__} values are not bound by statements")


def _sql(
    build: Build, values: Sequence[Any], round_: int, sliced: bool
) -> tuple[list[Any], QuerySet[Any], SQLCompiler, str, tuple[Any, ...]]:
    stand_ins = [_stand_in(value, number, round_) for number, value in enumerate(values)]
    queryset = build(*stand_ins)
    prefetched: Any = getattr(queryset, "_prefetch_related_lookups", None)
    if not isinstance(queryset, QuerySet) or prefetched:
        raise TypeError("a statement is a queryset without prefetches")
    query = queryset.query
    if sliced and query.is_sliced:
        raise TypeError("a statement given a limit is not sliced itself")
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql(with_limits=not sliced)
    return stand_ins, queryset, compiler, sql, tuple(params)


def _compile(build: Build, values: Sequence[Any], sliced: bool) -> _Compiled | None:
    """The statement's SQL and where its values go, or None if it cannot be bound."""
    try:
        first, queryset, compiler, sql, params = _sql(build, values, 0, sliced)
        second, _, _, sql_again, params_again = _sql(build, values, 1, sliced)
    except (TypeError, EmptyResultSet):
        return None
    if queryset.db != "default" or sql != sql_again or len(params) != len(params_again):
        return None
    slots: list[list[tuple[int, type | None]]] = [[] for _ in values]
    constants = list(params)
    for position, (one, other) in enumerate(zip(params, params_again, strict=True)):
        number = _which(one, first)
        if number is not None and _same(other, second[number]) and type(one) is type(other):
            wrap = None if type(one) is type(first[number]) else type(one)
            slots[number].append((position, wrap))
            constants[position] = None
        elif one != other or type(one) is not type(other):
            return None  # a value changed on its way into the SQL
    if isinstance(queryset._iterable_class, type) and issubclass(
        queryset._iterable_class, ValuesIterable
    ):
        query = queryset.query
        names: tuple[str, ...] | None = (
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        )
        model, fields = None, ()
    elif queryset._iterable_class is ModelIterable:
        info = compiler.klass_info
        if info.get("related_klass_infos") or compiler.annotation_col_map:
            return None
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names, model = None, info["model"]
        fields = tuple(column[0].target.attname for column in compiler.select[start:end])
    else:
        return None
    selected = [column[0] for column in compiler.select[: compiler.col_count]]
    converters = tuple(
        (position, tuple(found), expression)
        for position, (found, expression) in compiler.get_converters(selected).items()
    )
    if sliced:
        # Each run's limit and offset are bound too: the last two parameters.
        sql += " LIMIT %s OFFSET %s"
    return _Compiled(
        sql, tuple(constants), tuple(map(tuple, slots)), converters, names, model, fields
    )


def _which(parameter: Any, stand_ins: Sequence[Any]) -> int | None:
    for number, stand_in in enumerate(stand_ins):
        if _same(parameter, stand_in):
            return number
    return None


def _same(parameter: Any, stand_in: Any) -> bool:
    """``parameter`` is ``stand_in``, maybe wrapped in a subclass of its type."""
    return isinstance(parameter, type(stand_in)) and parameter == stand_in
