"""Pydantic's validation errors in the shape of the one JSON error body (422)."""

from collections.abc import Iterable, Mapping
from typing import Any

# The part of a pydantic location that says where a value came from, not which field.
_LOCATION_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Turn pydantic error dicts into [{"field", "message"}] ("body" for the whole body)."""
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in _LOCATION_SOURCES:
            source, location = location[0], location[1:]
        else:
            source = "body"
        if error.get("type") == "json_invalid":
            result.append({"field": "body", "message": "Invalid JSON"})
            continue
        result.append({"field": ".".join(location) or source, "message": str(error["msg"])})
    return result
