"""The OpenAPI 3.1 document, built from the ``@endpoint`` specs of the registered views."""

import re
from typing import Any, Literal

from flask import Flask
from pydantic import BaseModel, TypeAdapter

from .. import SUMMARY, TITLE, __version__
from ..core.openapi_document import finish
from .endpoint import EndpointSpec

REF = "#/components/schemas/{model}"
_PATH_ARGUMENT = re.compile(r"<(?:(?P<converter>[^:<>]+):)?(?P<name>[^<>]+)>")
_CONVERTER_TYPES = {"int": "integer", "float": "number"}
_STATUS_TEXT = {200: "OK", 201: "Created", 204: "No Content"}


def openapi_document(app: Flask) -> dict[str, Any]:
    """Describe every view that has an endpoint spec."""
    operations: list[tuple[str, str, list[dict[str, Any]], EndpointSpec]] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        spec = getattr(app.view_functions[rule.endpoint], "endpoint_spec", None)
        if spec is None:
            continue
        path = _PATH_ARGUMENT.sub(r"{\g<name>}", rule.rule)
        parameters = [
            {
                "name": match["name"],
                "in": "path",
                "required": True,
                "schema": {"type": _CONVERTER_TYPES.get(match["converter"] or "", "string")},
            }
            for match in _PATH_ARGUMENT.finditer(rule.rule)
        ]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operations.append((path, method.lower(), parameters, spec))

    types: list[tuple[Any, Literal["validation", "serialization"]]] = []
    for _, _, _, spec in operations:
        if spec.body is not None:
            types.append((spec.body, "validation"))
        if spec.response is not None:
            types.append((spec.response, "serialization"))
        types.extend((body, "serialization") for _, body in _declared_errors(spec))
    refs, definitions = TypeAdapter.json_schemas(
        [(t, mode, TypeAdapter(t)) for t, mode in types], ref_template=REF
    )
    schemas = dict(definitions.get("$defs", {}))

    paths: dict[str, dict[str, Any]] = {}
    for path, method, path_parameters, spec in operations:
        operation: dict[str, Any] = {
            "summary": spec.summary,
            "operationId": f"{method}_{re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_')}",
            "parameters": path_parameters
            + _header_parameters(spec)
            + _query_parameters(spec.query, schemas),
            "responses": _responses(spec, refs),
        }
        if spec.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(spec.body, "validation")]}},
            }
        if spec.auth is not None:
            operation["security"] = [{"bearerAuth": []}]
        if spec.auth == "optional":
            operation["security"].append({})
        paths.setdefault(path, {})[method] = operation

    return finish(
        {
            "openapi": "3.1.0",
            "info": {"title": TITLE, "summary": SUMMARY, "version": __version__},
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                },
            },
        }
    )


def _header_parameters(spec: EndpointSpec) -> list[dict[str, Any]]:
    return [
        {
            "name": header.name,
            "in": "header",
            "required": header.required,
            **({"description": header.description} if header.description else {}),
            "schema": dict(header.schema),
        }
        for header in spec.headers
    ]


def _query_parameters(
    model: type[BaseModel] | None, schemas: dict[str, Any]
) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    schemas.update(schema.pop("$defs", {}))
    required = set(schema.get("required", ()))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": property_schema}
        for name, property_schema in schema.get("properties", {}).items()
    ]


def _responses(spec: EndpointSpec, refs: dict[Any, Any]) -> dict[str, Any]:
    description = _STATUS_TEXT.get(spec.status, "Success")
    success: dict[str, Any] = {"description": description}
    if spec.response is not None:
        success["content"] = {
            "application/json": {"schema": refs[(spec.response, "serialization")]}
        }
    responses: dict[str, Any] = {str(spec.status): success}
    # Error bodies and the errors every operation may answer come from finish().
    for status, declared in sorted(spec.errors.items()):
        text, body = declared if isinstance(declared, tuple) else (declared, None)
        responses[str(status)] = {"description": text}
        if body is not None:
            responses[str(status)]["content"] = {
                "application/json": {"schema": refs[(body, "serialization")]}
            }
    return responses


def _declared_errors(spec: EndpointSpec) -> list[tuple[int, Any]]:
    """The error answers whose body is not the common one: (status, body type)."""
    return [
        (status, declared[1])
        for status, declared in spec.errors.items()
        if isinstance(declared, tuple)
    ]
