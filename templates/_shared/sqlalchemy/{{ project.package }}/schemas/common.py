"""Shapes used by every resource: errors, pagination, and what an integer may look like."""

import re
import types
from datetime import date
from functools import cache
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

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


#: An integer in a query string or a path: ASCII digits, maybe a minus sign. Pydantic
#: alone would also take "1.0", "+1" and "1_000"; other scripts' digits never pass.
_PLAIN_INTEGER = re.compile(r"-?[0-9]+")
_PLAIN_ID = re.compile(r"[0-9]{1,10}")


def parse_id(text: str) -> int | None:
    """The id a path names (ASCII digits, 1 to MAX_ID), or None: ``7.0`` or `` 7`` name none."""
    if not _PLAIN_ID.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def _is_integer(annotation: Any) -> bool:
    """Whether a field's type is an integer (``int``, ``StrictInt``, ``Id | None``...)."""
    if annotation is int:
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_integer(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_is_integer(arg) for arg in get_args(annotation) if arg is not type(None))
    return False


@cache
def _integer_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        name for name, info in model.model_fields.items() if _is_integer(info.annotation)
    )


def _refuse_nul(value: Any) -> Any:
    # PostgreSQL cannot store NUL in text: refuse it as invalid input, not a 500.
    texts = value if isinstance(value, list | tuple | set) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("must not contain NUL characters")
    return value


class InputModel(BaseModel):
    """Base of request bodies: unknown fields are refused, strings are stripped.

    Every integer field takes JSON integers only: pydantic alone would read ``true``
    as 1, and ``1.0`` or ``"1"`` as 1 (an id, a count, an amount the client did not
    write as one).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _no_nul = field_validator("*")(_refuse_nul)

    @field_validator("*", mode="before")
    @classmethod
    def _json_integers_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and type(value) is not int and info.field_name in _integer_fields(cls):
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        return value


def _no_defaults(schema: dict[str, Any]) -> None:
    # A field left out keeps its stored value: no default value stands for that.
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


#: The default of a PATCH field that takes no null: ``None``, which pydantic never
#: validates and which means "left out" (the services read only the fields a body set).
#: Typed ``Any``, as it is no value of the field's type.
LEFT_OUT: Any = None


class PatchModel(InputModel):
    """Base of PATCH bodies: a field left out keeps its value, null only clears.

    Declare each field with the type of the values it takes and ``default=LEFT_OUT``
    (``None``, ``default=None`` where the type takes null), which means "left out":
    ``{"name": null}`` is then refused like any wrong type, and only fields typed
    ``X | None`` take null.
    """

    model_config = ConfigDict(json_schema_extra=_no_defaults)


class QueryModel(BaseModel):
    """Base of query strings: unknown parameters are ignored, as browsers add their own.

    An integer parameter is written in ASCII digits, maybe with a minus sign.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    _no_nul = field_validator("*")(_refuse_nul)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_integers_only(cls, value: Any, info: ValidationInfo) -> Any:
        if (
            isinstance(value, str)
            and info.field_name in _integer_fields(cls)
            and not _PLAIN_INTEGER.fullmatch(value.strip())
        ):
            raise PydanticCustomError(
                "int_parsing",
                "Input should be a valid integer, unable to parse string as an integer",
            )
        return value


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
    """``GET /health``: ``ok`` while the process answers (the database is not asked)."""

    status: str


class Readiness(BaseModel):
    """``GET /ready``: ``ok`` three times, or 503 with ``unavailable`` and what is not."""

    status: str
    database: str
    migrations: str


class FieldError(BaseModel):
    """One invalid field of a request."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """Every error response: ``{"detail": "..."}``, plus ``errors`` for 422."""

    detail: str
    errors: list[FieldError] | None = None
