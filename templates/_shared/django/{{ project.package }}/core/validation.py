"""Validating request bodies and query strings with serializers: 422 on failure."""

from typing import Any

from rest_framework.request import Request
from rest_framework.serializers import Serializer

from .errors import ValidationFailed
from .exceptions import validation_failed


def validated_body(
    request: Request, serializer_class: type[Serializer[Any]], **context: Any
) -> dict[str, Any]:
    """The JSON body validated by ``serializer_class``, or a 422.

    Only the fields the body sends are in the result (and the defaults of those it
    leaves out), so a PATCH can tell "left out" from "null".
    """
    if request.stream is None:
        # No body at all: as in every framework, a 422 (a PATCH needs at least {}).
        raise ValidationFailed([{"field": "body", "message": "A JSON body is required"}])
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    if not serializer.is_valid():
        raise validation_failed(serializer.errors)
    return dict(serializer.validated_data)


def validated_query(
    request: Request, serializer_class: type[Serializer[Any]], **context: Any
) -> dict[str, Any]:
    """The query string validated by ``serializer_class``, or a 422 (unknown keys ignored)."""
    serializer = serializer_class(
        data=request.query_params.dict(), context={"request": request, **context}
    )
    if not serializer.is_valid():
        raise validation_failed(serializer.errors)
    return dict(serializer.validated_data)
