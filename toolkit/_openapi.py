"""Normalised OpenAPI documents: one form in which the four frameworks' documents compare equal.

Each framework writes its document its own way: FastAPI and Flask through pydantic's
JSON Schemas, Django through drf-spectacular, Express from zod schemas. What a client
relies on is the same in all of them (paths, methods, parameters, request bodies,
response bodies per status code, security); what differs is spelling: component
names, whether a schema is a ``$ref`` or inline, ``nullable: true`` (OpenAPI 3.0)
against ``anyOf [..., {"type": "null"}]`` (3.1), titles, descriptions, the name of the
bearer scheme, the order of things. :func:`normalise` removes the spelling and keeps
the meaning, so that a kind has one reference document
(``toolkit/contracts/<kind>/openapi.json``) that every framework's served document
must equal; :func:`differences` says where two normalised documents part.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ._paths import contracts_root

#: The operations of a path item (``parameters``, ``summary``, ... are not).
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: Words of a schema that say nothing a client can rely on (documentation, or how a
#: generator named or grouped things).
_SCHEMA_NOISE = frozenset(
    {
        "title",
        "description",
        "example",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
        "xml",
        "discriminator",
    }
)

#: What every OpenAPI parameter or schema means when the word is left out.
_PARAMETER_DEFAULTS: Mapping[str, object] = {
    "required": False,
    "deprecated": False,
    "allowEmptyValue": False,
    "style": "form",
    "explode": True,
}

JSON = "application/json"


def reference_path(kind: str) -> Path:
    """Return the file of ``kind``'s reference document, ``openapi.json`` in its suite.

    The suite is ``toolkit/contracts/<kind>/`` for a built-in kind, ``contracts/<kind>/``
    of its pack for a pack's (the packs of ``SCAFFOLD_TEMPLATES`` and installed ones).
    """
    from ._catalog import load_catalog
    from .errors import UnknownChoiceError

    try:
        suite = load_catalog().kind(kind).contract_suite
    except UnknownChoiceError:
        suite = contracts_root() / kind.replace("-", "_")
    return suite / "openapi.json"


def load_reference(kind: str) -> dict[str, Any]:
    """Return ``kind``'s reference document (normalised, as it is stored)."""
    loaded: dict[str, Any] = json.loads(reference_path(kind).read_text())
    return loaded


def normalise(document: Mapping[str, Any]) -> dict[str, Any]:
    """Return the meaning of an OpenAPI 3.0 or 3.1 document, in one canonical form.

    Every ``$ref`` is replaced by what it names, documentation words are dropped,
    nullable schemas are written ``{"anyOf": [schema, {"type": "null"}]}``, lists whose
    order means nothing are sorted, security requirements name the scheme's kind
    (``bearer``; ``none`` where a token is optional) instead of its local name, and
    path-level parameters move into each operation. Words that restate others go:
    ``const`` is a one-value ``enum``, a null default, lengths beside an ``enum``,
    ``int32``/``int64`` beside bounds, ``additionalProperties: true``, 1.0 for 1. In
    responses, defaults and ``additionalProperties: false`` promise nothing and go.

    Args:
        document: An OpenAPI document as served (JSON decoded), or a normalised one
            (normalising is idempotent).

    Returns:
        ``{"paths": {path: {method: operation}}}``, each operation holding only
        ``parameters`` (keyed ``"<in> <name>"``), ``requestBody``, ``responses`` and
        ``security``.
    """
    components = document.get("components", {})
    schemes = {
        name: _scheme_kind(scheme) for name, scheme in components.get("securitySchemes", {}).items()
    }
    default_security = document.get("security")
    paths: dict[str, Any] = {}
    for path, item in sorted(document.get("paths", {}).items()):
        shared = item.get("parameters", [])
        operations: dict[str, Any] = {}
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operations[method] = _operation(operation, shared, default_security, schemes, document)
        paths[path] = operations
    return {"paths": paths}


def request_body_schema(
    document: Mapping[str, Any], path: str, method: str, media_type: str = JSON
) -> Any:
    """Return the JSON Schema of an operation's request body, references inlined (or None)."""
    operation = document.get("paths", {}).get(path, {}).get(method.lower(), {})
    body = _resolve(operation.get("requestBody"), document)
    if not body:
        return None
    content = body.get("content", {}).get(media_type)
    return None if content is None else _schema(content.get("schema", {}), document)


def differences(expected: Any, actual: Any, *, limit: int = 60) -> list[str]:
    """List where ``actual`` differs from ``expected``, one line per difference.

    Args:
        expected: A normalised document (or any part of one).
        actual: The one to compare with it.
        limit: At most this many lines; one more line says how many were left out.

    Returns:
        Lines such as ``paths./tasks.get.responses.422: missing``; empty when equal.
    """
    found = list(_walk_differences(expected, actual, ()))
    if len(found) > limit:
        found = [*found[:limit], f"... and {len(found) - limit} more differences"]
    return found


def dumps(document: Mapping[str, Any]) -> str:
    """Return the stable text of a normalised document (sorted keys, 2 spaces, newline)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _operation(
    operation: Mapping[str, Any],
    shared: list[Any],
    default_security: list[Any] | None,
    schemes: Mapping[str, str],
    document: Mapping[str, Any],
) -> dict[str, Any]:
    parameters: dict[tuple[str, str], Any] = {}
    # An operation's own parameters replace the path item's of the same name and place;
    # one list naming a parameter twice is no valid document (and no one meaning).
    for level in (shared, operation.get("parameters", [])):
        seen: set[tuple[str, str]] = set()
        for raw in _parameter_list(level):
            parameter = _resolve(raw, document)
            key = (parameter["in"], parameter["name"])
            if key in seen:
                parameters[key] = {"error": f"{key[1]} is given twice in {key[0]}"}
                continue
            seen.add(key)
            parameters[key] = _parameter(parameter, document)
    result: dict[str, Any] = {}
    if parameters:
        result["parameters"] = {
            f"{where} {name}": parameters[(where, name)] for where, name in sorted(parameters)
        }
    body = operation.get("requestBody")
    if body is not None:
        body = _resolve(body, document)
        result["requestBody"] = {
            "required": bool(body.get("required", False)),
            "content": _content(body.get("content", {}), document),
        }
    result["responses"] = {
        str(status): _response(_resolve(response, document), document)
        for status, response in sorted(operation.get("responses", {}).items())
    }
    security = operation.get("security", default_security) or []
    # A normalised document names requirements already ("bearer", "none").
    named = {requirement for requirement in security if isinstance(requirement, str)}
    requirements = sorted(
        (
            named
            | {
                "+".join(sorted(schemes.get(name, name) for name in requirement))
                for requirement in security
                if requirement and not isinstance(requirement, str)
            }
        )
        - {"none"}
    )
    # An empty requirement ({}) next to others makes authentication optional.
    if requirements and any(not requirement or requirement == "none" for requirement in security):
        requirements.append("none")
    if requirements:
        result["security"] = requirements
    return result


def _parameter_list(parameters: Any) -> list[Any]:
    """The parameters as a list; a normalised document keys them by "<in> <name>"."""
    if isinstance(parameters, Mapping):
        return [
            {"in": key.split(" ", 1)[0], "name": key.split(" ", 1)[1], **value}
            for key, value in parameters.items()
        ]
    return list(parameters)


def _parameter(parameter: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in parameter.items():
        if key in {"in", "name", "description", "example", "examples", "schema", "content"}:
            continue
        if _PARAMETER_DEFAULTS.get(key, object()) == value:
            continue
        result[key] = value
    if parameter["in"] == "path":
        result["required"] = True
    if "schema" in parameter:
        result["schema"] = _schema(parameter["schema"], document)
    if "content" in parameter:
        result["content"] = _content(parameter["content"], document)
    return result


def _response(response: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    content = response.get("content")
    if content:
        result["content"] = _content(content, document, sent=True)
    headers = response.get("headers")
    if headers:
        result["headers"] = {
            name.lower(): _header(_resolve(header, document), document)
            for name, header in sorted(headers.items())
        }
    return result


def _header(header: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if header.get("required"):
        result["required"] = True
    if "schema" in header:
        result["schema"] = _schema(header["schema"], document)
    return result


def _content(
    content: Mapping[str, Any], document: Mapping[str, Any], *, sent: bool = False
) -> dict[str, Any]:
    return {
        media: {"schema": _schema(entry.get("schema", {}), document, sent=sent)}
        for media, entry in sorted(content.items())
    }


def _schema(
    schema: Any, document: Mapping[str, Any], seen: tuple[str, ...] = (), *, sent: bool = False
) -> Any:
    """Return ``schema`` with references inlined and one spelling of each meaning.

    ``sent`` is true inside a response: a default means nothing there (the service
    sends every value), and whether an object is closed to more fields is no promise
    to clients (a later version may add fields); both are dropped.
    """
    if not isinstance(schema, Mapping):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen:
            raise ValueError(f"recursive schema {ref}: the normaliser inlines every $ref")
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        target = _schema(_lookup(ref, document), document, (*seen, ref), sent=sent)
        if not siblings:
            return target
        return _schema({"allOf": [target], **siblings}, document, seen, sent=sent)
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_NOISE or (sent and key == "default"):
            continue
        if sent and key == "additionalProperties" and value is False:
            continue
        if key in {"properties", "patternProperties", "$defs", "definitions"}:
            result[key] = {
                name: _schema(sub, document, seen, sent=sent) for name, sub in sorted(value.items())
            }
        elif key in {"items", "additionalProperties", "not", "contains", "propertyNames"}:
            result[key] = _schema(value, document, seen, sent=sent)
        elif key in {"allOf", "anyOf", "oneOf", "prefixItems"}:
            result[key] = [_schema(sub, document, seen, sent=sent) for sub in value]
        elif key in {"required", "enum"}:
            result[key] = sorted(value, key=_sort_key)
        else:
            result[key] = value
    return _canonical(result)


def _canonical(schema: dict[str, Any]) -> dict[str, Any]:
    """Write one meaning one way: nullability, single-member combinations, defaults."""
    nullable = bool(schema.pop("nullable", False))
    # 1.0 and 1 are one number in JSON Schema; some generators write bounds as floats.
    for word in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        value = schema.get(word)
        if isinstance(value, float) and value.is_integer():
            schema[word] = int(value)
    if "const" in schema and "enum" not in schema:
        schema["enum"] = [schema.pop("const")]
    # A null default says what leaving out an optional field means anyway: nothing.
    if "default" in schema and schema["default"] is None:
        del schema["default"]
    # Lengths of a string that must be one of a list say nothing more than the list.
    if "enum" in schema:
        for word in ("minLength", "maxLength"):
            schema.pop(word, None)
    types = schema.get("type")
    if isinstance(types, list):
        if "null" in types:
            nullable = True
        rest = [t for t in types if t != "null"]
        if len(rest) == 1:
            schema["type"] = rest[0]
        elif rest:
            schema["type"] = sorted(rest)
        else:
            schema.pop("type")
            nullable = True
    # Any value is allowed however it is said: true, {} or nothing.
    if schema.get("additionalProperties") in (True, {}):
        del schema["additionalProperties"]
    # JSON object keys are strings anyway.
    if schema.get("propertyNames") == {"type": "string"}:
        del schema["propertyNames"]
    if "enum" in schema and None in schema["enum"]:
        schema["enum"] = [value for value in schema["enum"] if value is not None]
        nullable = True
    # allOf/anyOf/oneOf of one schema is that schema (pydantic wraps a $ref with a default).
    for word in ("allOf", "anyOf", "oneOf"):
        members = schema.get(word)
        if isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict):
            merged = {k: v for k, v in schema.items() if k != word}
            clash = set(merged) & set(members[0])
            if not clash:
                schema = _canonical({**members[0], **merged})
    for word in ("anyOf", "oneOf"):
        members = schema.get(word)
        if isinstance(members, list):
            plain = [m for m in members if m != {"type": "null"}]
            if len(plain) < len(members):
                nullable = True
                schema = {k: v for k, v in schema.items() if k != word}
                if len(plain) == 1:
                    schema = _canonical({**plain[0], **schema})
                elif plain:
                    schema[word] = plain
    # int32/int64 restate the bounds (drf-spectacular writes them, pydantic and zod not).
    if schema.get("type") == "integer" and schema.get("format") in {"int32", "int64"}:
        del schema["format"]
    if not nullable:
        if "anyOf" in schema:
            schema["anyOf"] = sorted(schema["anyOf"], key=_sort_key)
        return schema
    default = schema.pop("default", _MISSING)
    inner = {k: v for k, v in schema.items()}
    result: dict[str, Any] = {"anyOf": [inner, {"type": "null"}]} if inner else {"type": "null"}
    if default is not _MISSING:
        result["default"] = default
    return result


_MISSING = object()


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _scheme_kind(scheme: Mapping[str, Any]) -> str:
    if scheme.get("type") == "http":
        return str(scheme.get("scheme", "http")).lower()
    if scheme.get("type") == "apiKey":
        return f"apiKey:{scheme.get('in')}:{scheme.get('name')}"
    return str(scheme.get("type"))


def _resolve(value: Any, document: Mapping[str, Any]) -> Any:
    while isinstance(value, Mapping) and "$ref" in value:
        value = _lookup(value["$ref"], document)
    return value


def _lookup(ref: str, document: Mapping[str, Any]) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported, not {ref}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _walk_differences(expected: Any, actual: Any, where: tuple[str, ...]) -> Iterator[str]:
    place = ".".join(where) or "(document)"
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                yield f"{place}.{key}: missing (expected {_short(expected[key])})"
            elif key not in expected:
                yield f"{place}.{key}: not expected (served {_short(actual[key])})"
            else:
                yield from _walk_differences(expected[key], actual[key], (*where, str(key)))
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            yield from _walk_differences(left, right, (*where, f"[{index}]"))
    elif expected != actual:
        yield f"{place}: expected {_short(expected)}, served {_short(actual)}"


def _short(value: Any, width: int = 160) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."
