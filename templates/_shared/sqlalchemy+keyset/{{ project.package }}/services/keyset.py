"""Keyset (cursor) pages beside limit/offset in SQLAlchemy, with a capped total
(the cursor itself: ``cursors``)."""

from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    func,
    inspect,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Mapper, Session

from ..cursors import COUNT_CAP, Key, check_exclusive, decode_cursor, directions, encode_cursor
from ..cursors import groups as key_groups
from ..schemas.common import PageQuery

P = TypeVar("P", bound=BaseModel)

#: Statements built from a caller's statement (its count, its ordered page) kept for
#: the next request that passes the same statement object; a caller that builds a new
#: one each time only cycles through these.
STATEMENTS_KEPT = 256


def order_by(keys: Sequence[Key], descending: bool) -> list[Any]:
    """The ORDER BY of ``keys``."""
    return [
        key.expression.desc() if down else key.expression.asc()
        for key, down in zip(keys, directions(keys, descending), strict=True)
    ]


def after(keys: Sequence[Key], values: Sequence[Any], descending: bool) -> ColumnElement[bool]:
    """The rows that sort after the row whose keys are ``values`` (``cursors.groups``)."""
    branches: list[ColumnElement[bool]] = []
    equal: list[ColumnElement[bool]] = []
    for down, pairs in key_groups(keys, values, descending):
        nulls = [expression.is_(None) for expression, value in pairs if value is None]
        kept = [(expression, value) for expression, value in pairs if value is not None]
        left = tuple_(*(expression for expression, _ in kept))
        right = tuple_(*(value for _, value in kept))
        branches.append(and_(*equal, *nulls, left < right if down else left > right))
        equal.extend(nulls)
        equal.extend(expression == value for expression, value in kept)
    return or_(*branches)


def capped_count(
    session: Session, parts: Sequence[Select[Any]], params: Mapping[str, Any] | None = None
) -> int:
    """How many rows the disjoint ``parts`` match together, counted up to the cap.

    ``SELECT count(*) FROM (part UNION ALL part ... LIMIT cap)``: the database reads the
    parts one after the other and stops at COUNT_CAP rows, each part by its own index
    (one part: no UNION). ``params`` are the values of the parts' bound parameters.
    """
    return session.scalar(_count_statement(tuple(parts)), params) or 0


@lru_cache(maxsize=STATEMENTS_KEPT)
def _count_statement(parts: tuple[Select[Any], ...]) -> Select[Any]:
    matched: list[Select[Any]] = [
        part.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True)
        for part in parts
    ]
    rows = union_all(*matched) if len(matched) > 1 else matched[0]
    return select(func.count()).select_from(rows.limit(COUNT_CAP).subquery())


def paginate_keyset(
    session: Session,
    statement: Select[Any],
    page: PageQuery,
    cursor: str | None,
    sort: str,
    keys: Sequence[Key],
    counted: Sequence[Select[Any]] | None = None,
    item_type: type[BaseModel] | None = None,
    params: Mapping[str, Any] | None = None,
) -> tuple[list[Any], int, str | None]:
    """One page of ``statement`` by offset or after ``cursor``: its rows, the capped
    total and the cursor of the next page (None on the last page).

    ``counted``, if given, is ``statement`` as disjoint parts whose union it is, for the
    total (``capped_count``); else the total counts ``statement``. ``item_type``, if
    given, is the model each row becomes: when it reads only columns, the page is read
    as plain rows (``plain_rows``). ``params`` are the values of the statements' bound
    parameters.

    The count and the ordered page are built once for the same statement objects (a
    few hundred microseconds a request otherwise): a caller that keeps its statements
    by the shape of the query, with its values as bound parameters, builds them once.
    """
    check_exclusive(cursor, "offset" in page.model_fields_set)
    descending = sort.startswith("-")
    total = capped_count(session, counted or [statement], params)
    selected, plain = _plain(_ordered(statement, tuple(keys), descending), item_type)
    paged = selected.limit(page.limit + 1)
    if cursor is not None:
        paged = paged.where(after(keys, decode_cursor(cursor, sort, keys), descending))
    else:
        paged = paged.offset(page.offset)
    rows = _rows(session, paged, plain, params)
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_cursor = encode_cursor(sort, keys, rows[-1]) if more and rows else None
    return rows, total, next_cursor


def plain_rows(
    session: Session,
    statement: Select[Any],
    item_type: type[BaseModel] | None,
    params: Mapping[str, Any] | None = None,
) -> list[Any]:
    """The rows of ``statement``, a ``select(Model)``: read as plain rows when
    ``item_type`` reads only the model's columns, else as model objects.

    Loading 50 objects (identity map, instance state, each attribute instrumented) cost
    a list request more than its query; a row read from the same columns, each named as
    the model's attribute, answers every attribute read the same (the item model's
    ``from_attributes``, a sort key's value), with the same column types. An item model
    with a field that is no column (a relationship, a property) or with aliases gets
    the objects, as before.
    """
    selected, plain = _plain(statement, item_type)
    return _rows(session, selected, plain, params)


def _rows(
    session: Session, statement: Select[Any], plain: bool, params: Mapping[str, Any] | None
) -> list[Any]:
    if plain:
        return list(session.execute(statement, params))
    return list(session.scalars(statement, params))


@lru_cache(maxsize=STATEMENTS_KEPT)
def _ordered(statement: Select[Any], keys: tuple[Key, ...], descending: bool) -> Select[Any]:
    return statement.order_by(*order_by(keys, descending))


@lru_cache(maxsize=STATEMENTS_KEPT)
def _plain(statement: Select[Any], item_type: type[BaseModel] | None) -> tuple[Select[Any], bool]:
    """``statement`` selecting the columns of ``item_type`` (True), or as it is (False)."""
    columns = _column_attributes(statement, item_type)
    if columns is None:
        return statement, False
    return statement.with_only_columns(*columns), True


def _column_attributes(
    statement: Select[Any], item_type: type[BaseModel] | None
) -> list[ColumnElement[Any]] | None:
    """Every column attribute of the one model ``statement`` selects, labelled with its
    name, or None when ``item_type`` reads anything else (or there is no item type)."""
    if item_type is None:
        return None
    selected = statement.column_descriptions
    if len(selected) != 1 or selected[0]["expr"] is not selected[0]["entity"]:
        return None
    mapper: Mapper[Any] = inspect(selected[0]["entity"])
    attributes = {prop.key: prop for prop in mapper.column_attrs}
    for name, field in item_type.model_fields.items():
        if field.alias or field.validation_alias or name not in attributes:
            return None
    if any(len(prop.columns) != 1 for prop in attributes.values()):
        return None
    return [prop.columns[0].label(key) for key, prop in attributes.items()]


@cache
def _item_list(item_type: type[BaseModel]) -> TypeAdapter[list[Any]]:
    """A validator of a list of ``item_type`` (a row's attribute reads through pydantic's
    ``from_attributes`` cost four times what a dict of the same values does)."""
    return TypeAdapter(list[item_type])  # type: ignore[valid-type]


def keyset_page(
    page_type: type[P],
    item_type: type[BaseModel],
    page: PageQuery,
    found: tuple[list[Any], int, str | None],
) -> P:
    """The page model (items, total, limit, offset, next_cursor) of what
    ``paginate_keyset`` found."""
    rows, total, next_cursor = found
    if rows and isinstance(rows[0], Row):  # plain_rows: validated as dicts, all at once
        names = rows[0]._fields
        items = _item_list(item_type).validate_python(
            [dict(zip(names, row, strict=True)) for row in rows]
        )
    else:
        items = [item_type.model_validate(row) for row in rows]
    return page_type(
        items=items,
        total=total,
        limit=page.limit,
        offset=page.offset,
        next_cursor=next_cursor,
    )
