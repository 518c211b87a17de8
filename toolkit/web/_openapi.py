"""The OpenAPI 3.1 document of ``scaffold serve``, written here; tests hold it to the app."""

from __future__ import annotations

from typing import Any

from .._catalog import Catalog
from .._names import MAX_NAME_LENGTH
from .._version import __version__
from ._params import FALSE, MAX_VALUE_LENGTH, TRUE

_JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": _ref("Error")}}}


def _parameters(catalog: Catalog, *, preview: bool = False) -> list[dict[str, Any]]:
    def choice(name: str, names: Any, description: str, required: bool = False) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": required,
            "description": description,
            "schema": {"type": "string", "enum": sorted(names)},
        }

    def features(name: str, description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "description": description,
            "style": "form",
            "explode": True,
            "schema": {
                "type": "array",
                "items": {"type": "string", "enum": sorted(catalog.features)},
            },
        }

    found = [
        choice("kind", catalog.kinds, "The kind of service (`scaffold new KIND`).", True),
        {
            "name": "name",
            "in": "query",
            "description": "The project name and the archive's top folder (default: the kind).",
            "schema": {"type": "string", "maxLength": MAX_NAME_LENGTH},
        },
        choice("framework", catalog.frameworks, "Default: the kind's first offered framework."),
        choice("database", catalog.databases, "Default: the framework's first offered one."),
        features("feature", "Exactly these features (repeat it); `feature=` alone means none."),
        features("without", "Leave out a default feature (repeat it)."),
        {
            "name": "git",
            "in": "query",
            "description": "Include the Git repository with its first commit (default false).",
            "schema": {"type": "string", "enum": [*TRUE, *FALSE]},
        },
    ]
    if preview:
        found.append(
            {
                "name": "path",
                "in": "query",
                "description": "A file's path in the project: answer its content, not the tree.",
                "schema": {"type": "string", "maxLength": MAX_VALUE_LENGTH},
            }
        )
    return found


def _schemas(catalog: Catalog) -> dict[str, Any]:
    string_list = {"type": "array", "items": {"type": "string"}}
    spec = {
        "type": "object",
        "required": ["kind", "name", "framework", "database", "features"],
        "properties": {
            "kind": {"type": "string"},
            "name": {"type": "string"},
            "framework": {"type": "string"},
            "database": {"type": "string"},
            "features": string_list,
        },
    }
    source = {
        "type": "string",
        "description": "Where it comes from: scaffold, or the name of a layer pack.",
    }
    labelled = {
        "type": "object",
        "required": ["label", "summary"],
        "properties": {
            "label": {"type": "string"},
            "summary": {"type": "string"},
            "source": source,
        },
    }
    return {
        "Error": {
            "type": "object",
            "required": ["detail"],
            "properties": {
                "detail": {"type": "string", "description": "One line, as the CLI prints it."},
                "parameter": {"type": "string"},
                "choices": {**string_list, "description": "What the parameter may be."},
            },
        },
        "Health": {
            "type": "object",
            "required": ["status", "version"],
            "properties": {"status": {"const": "ok"}, "version": {"type": "string"}},
        },
        "ProjectSpec": spec,
        "Kind": {
            "type": "object",
            "description": "What `scaffold info KIND --json` prints, with the defaults.",
            "required": ["id", "title", "summary", "resources", "endpoints", "offered"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "summary": {"type": "string"},
                "resources": {"type": "array", "items": {"type": "object"}},
                "endpoints": {"type": "array", "items": {"type": "object"}},
                "offered": {"type": "object", "additionalProperties": string_list},
                "features": string_list,
                "defaults": {"type": "object"},
                "source": source,
            },
        },
        "Combination": {
            "type": "object",
            "required": ["kind", "framework", "database", "offered", "verified", "reason"],
            "properties": {
                "kind": {"type": "string"},
                "framework": {"type": "string"},
                "database": {"type": "string"},
                "offered": {"type": "boolean"},
                "verified": {"type": "boolean", "description": "Proven in CI."},
                "reason": {
                    "type": ["string", "null"],
                    "description": "Why it is not offered (the CLI's message).",
                },
            },
        },
        "Metadata": {
            "type": "object",
            "required": [
                "version",
                "kinds",
                "frameworks",
                "databases",
                "features",
                "defaults",
                "combinations",
            ],
            "properties": {
                "version": {"type": "string"},
                "kinds": {"type": "object", "additionalProperties": _ref("Kind")},
                "frameworks": {"type": "object", "additionalProperties": labelled},
                "databases": {"type": "object", "additionalProperties": labelled},
                "features": {"type": "object", "additionalProperties": labelled},
                "defaults": {"type": "object"},
                "combinations": {"type": "array", "items": _ref("Combination")},
                "sources": {
                    "type": "array",
                    "description": "The toolkit's own templates, then each layer pack.",
                    "items": {
                        "type": "object",
                        "required": ["name", "version", "origin"],
                        "properties": {
                            "name": {"type": "string"},
                            "version": {"type": ["string", "null"]},
                            "origin": {"type": "string"},
                        },
                    },
                },
            },
        },
        "Spec": {
            "type": "object",
            "required": ["spec", "git", "query", "downloads", "commands"],
            "properties": {
                "spec": _ref("ProjectSpec"),
                "git": {"type": "boolean"},
                "query": {"type": "string", "description": "The shortest query for it."},
                "downloads": {
                    "type": "object",
                    "required": ["zip", "tgz"],
                    "properties": {"zip": {"type": "string"}, "tgz": {"type": "string"}},
                },
                "commands": {
                    "type": "object",
                    "required": ["scaffold", "curl"],
                    "properties": {"scaffold": {"type": "string"}, "curl": {"type": "string"}},
                },
            },
        },
        "Tree": {
            "type": "object",
            "required": ["name", "spec", "files", "commands"],
            "properties": {
                "name": {"type": "string"},
                "spec": _ref("ProjectSpec"),
                "files": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["path", "size", "executable"],
                        "properties": {
                            "path": {"type": "string"},
                            "size": {"type": "integer", "minimum": 0},
                            "executable": {"type": "boolean"},
                        },
                    },
                },
                "commands": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "File": {
            "type": "object",
            "required": ["path", "size", "executable", "binary", "text", "html"],
            "properties": {
                "path": {"type": "string"},
                "size": {"type": "integer", "minimum": 0},
                "executable": {"type": "boolean"},
                "binary": {"type": "boolean"},
                "text": {"type": ["string", "null"]},
                "html": {"type": ["string", "null"], "description": "Highlighted (Pygments)."},
            },
        },
    }


def build_openapi(catalog: Catalog) -> dict[str, Any]:
    """Return the document; parameter choices come from ``catalog``."""
    params = _parameters(catalog)
    busy = {
        "description": "Too many projects are being made at once; see Retry-After.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {_JSON: {"schema": _ref("Error")}},
    }
    refused = {
        "400": _error("Bad parameters: the CLI's one-line message and the valid choices."),
        "414": _error("Query string too long."),
        "429": busy,
    }

    def download(fmt: str, media_type: str) -> dict[str, Any]:
        ok = {
            "description": f"The project as a {fmt} archive, its name as the top folder.",
            "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
        responses: dict[str, Any] = {"200": ok, **refused}
        get: dict[str, Any] = {
            "summary": f"Download a project ({fmt})",
            "description": "Rendered for this request, with fresh secrets; never cached.",
            "operationId": f"download_{fmt}",
            "tags": ["projects"],
            "parameters": params,
            "responses": responses,
        }
        form = {
            "type": "object",
            "properties": {p["name"]: p["schema"] for p in params},
        }
        post = {
            **get,
            "operationId": f"download_{fmt}_form",
            "summary": f"Download a project ({fmt}), parameters in a form body (curl -d)",
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": form}}},
            "responses": {
                **responses,
                "413": _error("Body too large."),
                "415": _error("Not a form body."),
            },
        }
        return {"get": get, "post": post}

    def simple(summary: str, operation: str, tag: str, response: dict[str, Any]) -> dict[str, Any]:
        return {"get": {"summary": summary, "operationId": operation, "tags": [tag], **response}}

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "scaffold serve",
            "version": __version__,
            "description": (
                "Choose, explore and download the projects `scaffold new` generates. "
                "Parameters are the options of `scaffold new`; errors are "
                '`{"detail": ...}` with the message the CLI prints. The page\'s own '
                "assets are under /static/."
            ),
        },
        "paths": {
            "/": simple(
                "The page: choose, explore, download, share",
                "page",
                "page",
                {
                    "description": "Its query (a shared link) fills the form.",
                    "responses": {
                        "200": {"description": "HTML", "content": {"text/html": {}}},
                        "414": _error("Query string too long."),
                    },
                },
            ),
            "/highlight.css": simple(
                "The style sheet of highlighted code",
                "highlight_css",
                "page",
                {"responses": {"200": {"description": "CSS", "content": {"text/css": {}}}}},
            ),
            "/health": simple(
                "Liveness",
                "health",
                "service",
                {
                    "responses": {
                        "200": {
                            "description": "Serving",
                            "content": {_JSON: {"schema": _ref("Health")}},
                        }
                    }
                },
            ),
            "/openapi.json": simple(
                "This document",
                "openapi",
                "service",
                {"responses": {"200": {"description": "OpenAPI 3.1", "content": {_JSON: {}}}}},
            ),
            "/metadata": simple(
                "Kinds, frameworks, databases, features and every combination",
                "metadata",
                "projects",
                {
                    "responses": {
                        "200": {
                            "description": "The catalog",
                            "headers": {"ETag": {"schema": {"type": "string"}}},
                            "content": {_JSON: {"schema": _ref("Metadata")}},
                        },
                        "304": {"description": "Unchanged (If-None-Match)"},
                    }
                },
            ),
            "/spec": simple(
                "Resolve parameters: the spec, the share query and equivalent commands",
                "spec",
                "projects",
                {
                    "parameters": params,
                    "responses": {
                        "200": {
                            "description": "Resolved",
                            "content": {_JSON: {"schema": _ref("Spec")}},
                        },
                        "400": refused["400"],
                        "414": refused["414"],
                    },
                },
            ),
            "/preview": simple(
                "The tree of files, or one file's content (highlighted)",
                "preview",
                "projects",
                {
                    "parameters": _parameters(catalog, preview=True),
                    "responses": {
                        "200": {
                            "description": "The tree, or with `path` one file",
                            "content": {_JSON: {"schema": {"oneOf": [_ref("Tree"), _ref("File")]}}},
                        },
                        **refused,
                        "404": _error("No such file in the project."),
                    },
                },
            ),
            "/starter.zip": download("zip", "application/zip"),
            "/starter.tgz": download("tgz", "application/gzip"),
        },
        "components": {"schemas": _schemas(catalog)},
    }
