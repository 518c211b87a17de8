"""Limit/offset pagination with a total, for any select statement."""

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..schemas.common import Page, PageQuery

S = TypeVar("S", bound=BaseModel)


def paginate(
    session: Session,
    statement: Select[Any],
    page: PageQuery,
    schema: type[S],
    order_by: Sequence[Any],
) -> Page[S]:
    """Run ``statement`` for one page and count every matching row."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = session.scalars(statement.order_by(*order_by).limit(page.limit).offset(page.offset))
    # The page of the schema given at run time: pydantic makes that model; mypy takes
    # only types written out as type arguments.
    return Page[schema](  # type: ignore[valid-type]
        items=[schema.model_validate(row) for row in rows],
        total=total or 0,
        limit=page.limit,
        offset=page.offset,
    )
