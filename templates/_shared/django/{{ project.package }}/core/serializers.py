"""Base serializers: request bodies refuse unknown fields, query strings ignore them.

DRF's CharField strips whitespace and refuses NUL characters (PostgreSQL cannot
store them); ids are bounded so that nothing out of range reaches the database.
Integers are strict everywhere: JSON integers in bodies, ASCII digits in query
strings and paths (DRF alone takes ``"1"``, ``1.0``, ``+1`` and ``1_000``).
"""

import copy
import re
from datetime import date, time, timedelta
from decimal import Decimal
from enum import Enum
from types import BuiltinFunctionType, FunctionType
from typing import Any

from rest_framework import serializers

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
#: Ids and offsets fit a 32-bit signed integer; larger numbers are refused before they
#: reach the database.
MAX_ID = 2**31 - 1


_PLAIN_INTEGER = re.compile(r"-?[0-9]+")
_PLAIN_ID = re.compile(r"[0-9]{1,10}")
_NOT_AN_INTEGER = "Input should be a valid integer"


def is_valid_id(value: int | str) -> bool:
    """Whether ``value`` could be the id of a row: paths give ASCII digits, ``7.0`` or
    `` 7`` name nothing."""
    if isinstance(value, str):
        if not _PLAIN_ID.fullmatch(value):
            return False
        value = int(value)
    return type(value) is int and 1 <= value <= MAX_ID


def _integer_fields(serializer: serializers.Serializer[Any]) -> list[str]:
    return [
        name
        for name, field in serializer.fields.items()
        if isinstance(field, serializers.IntegerField) and not field.read_only
    ]


#: Arguments shared with the declared field: DRF shares validators too, choices are only read.
_SHARED_ARGUMENTS = frozenset({"validators", "regex", "choices"})
_IMMUTABLE = (
    type(None),
    bool,
    int,
    float,
    str,
    bytes,
    Decimal,
    date,
    time,
    timedelta,
    Enum,
    FunctionType,
    BuiltinFunctionType,
    type,
)


class Serializer(serializers.Serializer[Any]):
    """A serializer whose fields are made again from their arguments for each instance.

    DRF deep-copies every argument of every declared field for each serializer it makes
    (a tenth of a small request's time); arguments that cannot change (numbers, text,
    functions, classes) need no copy. A field given anything else (a nested field, a
    list default) is deep-copied as before.
    """

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """The declared fields, each this instance's own."""
        return {name: _fresh(field) for name, field in self._declared_fields.items()}


def _fresh(field: Any) -> Any:
    arguments = [
        *field._args,
        *(value for name, value in field._kwargs.items() if name not in _SHARED_ARGUMENTS),
    ]
    if all(isinstance(argument, _IMMUTABLE) for argument in arguments):
        return type(field)(*field._args, **field._kwargs)
    return copy.deepcopy(field)


class IdField(serializers.IntegerField):
    """A positive id within the databases' INTEGER range."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class StrictCharField(serializers.CharField):
    """A CharField that takes only JSON strings (DRF's would turn ``5`` into ``"5"``)."""

    def to_internal_value(self, data: Any) -> str:
        """Refuse numbers and booleans, then validate as a CharField."""
        if not isinstance(data, str):
            raise serializers.ValidationError("Input should be a valid string")
        return str(super().to_internal_value(data))


class StrictIntegerField(serializers.IntegerField):
    """An IntegerField that takes only JSON integers: not ``"3"``, ``1.5``, ``2.0`` or ``true``.

    Every IntegerField of an ``InputSerializer`` is checked so; this one is strict in
    any serializer.
    """

    def to_internal_value(self, data: Any) -> int:
        """Refuse strings, floats and booleans, then validate as an IntegerField."""
        if type(data) is not int:
            raise serializers.ValidationError(_NOT_AN_INTEGER)
        return int(super().to_internal_value(data))


class StrictBooleanField(serializers.BooleanField):
    """A BooleanField that takes only JSON true and false: not 0, 1 or "yes"."""

    def to_internal_value(self, data: Any) -> bool:
        """Refuse anything but a JSON boolean."""
        if not isinstance(data, bool):
            raise serializers.ValidationError("Input should be a valid boolean")
        return data


class IsoDateField(serializers.DateField):
    """A calendar date written ``YYYY-MM-DD`` only (DRF would also take 20210101)."""

    def to_internal_value(self, value: Any) -> Any:
        """Refuse anything but ``YYYY-MM-DD``, then parse it as a DateField."""
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
            raise serializers.ValidationError("must be a date written YYYY-MM-DD")
        return super().to_internal_value(value)


class InputSerializer(Serializer):
    """Base of request bodies: a JSON object whose every key is a known field."""

    def to_internal_value(self, data: Any) -> Any:
        """Refuse unknown keys, integers that are not JSON integers and text that is not text.

        Then validate the fields as DRF does.
        """
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Extra inputs are not permitted"] for name in unknown}
                )
            loose = [
                name
                for name in _integer_fields(self)
                if name in data and data[name] is not None and type(data[name]) is not int
            ]
            if loose:
                raise serializers.ValidationError({name: [_NOT_AN_INTEGER] for name in loose})
            # DRF's CharField would take 5 as "5": a text field takes JSON strings only.
            not_text = sorted(
                name
                for name, value in data.items()
                if isinstance(self.fields.get(name), serializers.CharField)
                and value is not None
                and not isinstance(value, str)
            )
            if not_text:
                raise serializers.ValidationError(
                    {name: ["Input should be a valid string"] for name in not_text}
                )
        return super().to_internal_value(data)


class QuerySerializer(Serializer):
    """Base of query strings: unknown parameters are ignored, as browsers add their own.

    An integer parameter is written in ASCII digits, maybe with a minus sign.
    """

    def to_internal_value(self, data: Any) -> Any:
        """Refuse integers in other spellings (``1.0``, ``+1``), then validate the fields."""
        loose = [
            name
            for name in _integer_fields(self)
            if isinstance(data, dict)
            and isinstance(data.get(name), str)
            and not _PLAIN_INTEGER.fullmatch(data[name].strip())
        ]
        if loose:
            raise serializers.ValidationError({name: [_NOT_AN_INTEGER] for name in loose})
        return super().to_internal_value(data)


class PageQuerySerializer(QuerySerializer):
    """``?limit=&offset=`` with a maximum page size."""

    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )
    offset = serializers.IntegerField(min_value=0, max_value=MAX_ID, default=0)


def page_serializer(
    item: type[serializers.Serializer[Any]], name: str, **more: Any
) -> serializers.Serializer[Any]:
    """The shape of one page of ``item`` (for the OpenAPI document), with ``more`` fields
    after the four of every page (a keyset page's ``next_cursor``)."""
    fields = {
        "items": item(many=True),
        "total": serializers.IntegerField(),
        "limit": serializers.IntegerField(),
        "offset": serializers.IntegerField(),
        **more,
    }
    page = type(name, (serializers.Serializer,), fields)
    serializer: serializers.Serializer[Any] = page()
    return serializer
