"""Shapes used by every resource: errors, pagination."""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
#: Ids and offsets fit a 32-bit signed integer; larger numbers are refused before they
#: reach the database (SQLite raises an overflow on integers past 64 bits).
MAX_ID = 2**31 - 1


def _refuse_nul(value: Any) -> Any:
    # PostgreSQL cannot store NUL in text: refuse it as invalid input, not a 500.
    texts = value if isinstance(value, list | tuple | set) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("must not contain NUL characters")
    return value


class InputModel(BaseModel):
    """Base of request bodies: unknown fields are refused, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _no_nul = field_validator("*")(_refuse_nul)


class QueryModel(BaseModel):
    """Base of query strings: unknown parameters are ignored, as browsers add their own."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    _no_nul = field_validator("*")(_refuse_nul)


class PageQuery(QueryModel):
    """``?limit=&offset=`` with a maximum page size."""

    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0, le=MAX_ID)


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count of matching items."""

    items: list[T]
    total: int
    limit: int
    offset: int


class FieldError(BaseModel):
    """One invalid field of a request."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """Every error response: ``{"detail": "..."}``, plus ``errors`` for 422."""

    detail: str
    errors: list[FieldError] | None = None
