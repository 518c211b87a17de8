"""Rules of the OpenAPI document that hold on every stack, written once for FastAPI, Flask, Django.

Each framework describes its routes its own way; what follows from the service's
shared layers is the same everywhere, so each framework's document builder ends
with :func:`finish`:

- an operation that needs a bearer token may answer 401;
- one with a path parameter may answer 404 (an id that names nothing, or nothing you
  may see);
- one with a body, a query string or a header to validate may answer 422;
- every 4xx answer carries the common error body ``{"detail": "..."}``, and a 422 also
  ``"errors": [{"field": "...", "message": "..."}]``; so does a 5xx that declares no
  body of its own;
- a path parameter ending in ``_id`` is a positive integer (anything else is a 404),
  any other (a slug) is a string;
- a query parameter is never null: a query string cannot say null, leaving the
  parameter out is how a filter is unset;
- every operation but the liveness probe (``GET /health``, which never touches the
  database) may answer 503 while the database cannot be reached.

Statuses that depend on the operation (403, 409, 429) are declared by its route.
The toolkit's contract suite compares every framework's document with one reference.
"""

from typing import Any

METHODS = ("get", "put", "post", "delete", "patch")
ERROR_BODY = "ErrorBody"
VALIDATION_ERROR_BODY = "ValidationErrorBody"
ID = {"type": "integer", "minimum": 1}
#: The one path that answers without the database.
LIVENESS = "/health"

SCHEMAS: dict[str, dict[str, Any]] = {
    ERROR_BODY: {
        "title": ERROR_BODY,
        "description": "Every error answer but 422: what went wrong, safe to show.",
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldError": {
        "title": "FieldError",
        "description": "One invalid field: its dotted name (or body, query) and why.",
        "type": "object",
        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
        "required": ["field", "message"],
    },
    VALIDATION_ERROR_BODY: {
        "title": VALIDATION_ERROR_BODY,
        "description": "A 422 answer: the request is well formed but its content is invalid.",
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
        },
        "required": ["detail", "errors"],
    },
}

DESCRIPTIONS = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    422: "Validation failed",
    429: "Too many requests",
    503: "Unavailable",
}


def finish(document: dict[str, Any]) -> dict[str, Any]:
    """Apply the rules above to ``document`` and return it."""
    default_security = document.get("security", [])
    for path, item in document.get("paths", {}).items():
        for parameter in item.get("parameters", []):
            _parameter(parameter)
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
            for parameter in operation.get("parameters", []):
                _parameter(parameter)
            places = {parameter.get("in") for parameter in parameters}
            responses = operation.setdefault("responses", {})
            if any(operation.get("security", default_security)):
                responses.setdefault("401", {})
            if "path" in places:
                responses.setdefault("404", {})
            if "requestBody" in operation or places & {"query", "header"}:
                responses.setdefault("422", {})
            if path != LIVENESS:
                responses.setdefault("503", {})
            for status, response in responses.items():
                if str(status)[0] == "4" or (str(status)[0] == "5" and not response.get("content")):
                    _error_answer(int(status), response)
    document.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    return document


def _parameter(parameter: dict[str, Any]) -> None:
    if parameter.get("in") == "path":
        is_id = str(parameter.get("name", "")).endswith("_id")
        parameter["schema"] = dict(ID) if is_id else {"type": "string"}
    elif parameter.get("in") == "query" and "schema" in parameter:
        parameter["schema"] = _not_null(parameter["schema"])


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    variants = schema.get("anyOf")
    if isinstance(variants, list) and {"type": "null"} in variants:
        rest = [variant for variant in variants if variant != {"type": "null"}]
        outer = {k: v for k, v in schema.items() if k not in {"anyOf", "default"}}
        if schema.get("default") is not None:
            outer["default"] = schema["default"]
        return {**rest[0], **outer} if len(rest) == 1 else {**outer, "anyOf": rest}
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        rest_types = [t for t in types if t != "null"]
        return {**schema, "type": rest_types[0] if len(rest_types) == 1 else rest_types}
    return schema


def _error_answer(status: int, response: dict[str, Any]) -> None:
    body = VALIDATION_ERROR_BODY if status == 422 else ERROR_BODY
    response["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}}
    if not response.get("description"):
        response["description"] = DESCRIPTIONS.get(status, "Error")
