"""Shapes used by every resource: errors, pagination."""

import re
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, field_validator

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
#: Ids and offsets fit a 32-bit signed integer; larger numbers are refused before they
#: reach the database (SQLite raises an overflow on integers past 64 bits).
MAX_ID = 2**31 - 1
#: The longest address a mail system takes (RFC 5321 paths, less the angle brackets).
MAX_EMAIL_LENGTH = 254

Email = Annotated[EmailStr, Field(min_length=1, max_length=MAX_EMAIL_LENGTH)]

_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _full_date(value: Any) -> Any:
    # pydantic would also take 0 (a Unix time) or a midnight date-time for a date.
    if isinstance(value, date) or (isinstance(value, str) and _FULL_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


#: A calendar date written ``YYYY-MM-DD`` (what the document's format "date" means).
IsoDate = Annotated[date, BeforeValidator(_full_date)]


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


def _no_defaults(schema: dict[str, Any]) -> None:
    # A field left out keeps its stored value: no default value stands for that.
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class PatchModel(InputModel):
    """Base of PATCH bodies: a field left out keeps its value, null only clears.

    Declare each field with the type of the values it takes and ``default=None``,
    which pydantic never validates and which means "left out": ``{"name": null}`` is
    then refused like any wrong type, and only fields typed ``X | None`` take null.
    """

    model_config = ConfigDict(json_schema_extra=_no_defaults)


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


class Health(BaseModel):
    """``GET /health``: ``ok`` twice, or 503 with ``unavailable`` and ``error``."""

    status: str
    database: str


class FieldError(BaseModel):
    """One invalid field of a request."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """Every error response: ``{"detail": "..."}``, plus ``errors`` for 422."""

    detail: str
    errors: list[FieldError] | None = None
