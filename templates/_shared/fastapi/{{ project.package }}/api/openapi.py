"""The OpenAPI document: FastAPI's own, with the error answers every stack documents alike."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ..core.openapi_document import finish


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """Build the document once: FastAPI's, finished by core.openapi_document."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        for item in document["paths"].values():
            for operation in item.values():
                # FastAPI gives every operation with a parameter a 422 of its own shape
                # (HTTPValidationError); the service answers 422 with the common body, and
                # only where there is a body, query or header to validate.
                operation.get("responses", {}).pop("422", None)
        schemas = document.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = finish(document)
    return app.openapi_schema
