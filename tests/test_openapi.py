"""The OpenAPI normaliser, the reference documents, and the schemathesis hooks of the contracts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from toolkit import load_catalog
from toolkit._openapi import (
    differences,
    dumps,
    load_reference,
    normalise,
    reference_path,
    request_body_schema,
)

ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}


def _document(**operation: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": {"/things/{thing_id}": {"patch": operation}}}


@pytest.mark.parametrize("kind", sorted(load_catalog().kinds))
def test_each_reference_is_normalised_and_lists_the_kinds_endpoints(kind: str) -> None:
    reference = load_reference(kind)
    assert normalise(reference) == reference, "the reference is not in normal form"
    assert reference_path(kind).read_text() == dumps(reference), "not written by dumps()"
    documented = {
        (method.upper(), path)
        for path, operations in reference["paths"].items()
        for method in operations
    }
    endpoints = {(e.method, e.path) for e in load_catalog().kind(kind).endpoints}
    assert documented == endpoints


@pytest.mark.parametrize("kind", sorted(load_catalog().kinds))
def test_every_error_answer_of_a_reference_has_the_common_body(kind: str) -> None:
    validation = {
        "type": "object",
        "required": ["detail", "errors"],
        "properties": {
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }
    for path, operations in load_reference(kind)["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith("4"):
                    continue
                schema = response["content"]["application/json"]["schema"]
                expected = validation if status == "422" else ERROR
                assert schema == normalise_schema(expected), (method, path, status)


def normalise_schema(schema: dict[str, Any]) -> Any:
    document = {
        "paths": {
            "/x": {
                "get": {"responses": {"400": {"content": {"application/json": {"schema": schema}}}}}
            }
        }
    }
    return normalise(document)["paths"]["/x"]["get"]["responses"]["400"]["content"][
        "application/json"
    ]["schema"]


def test_spellings_of_one_meaning_normalise_alike() -> None:
    ref_30 = {
        "openapi": "3.0.3",
        "paths": {
            "/things/{thing_id}": {
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "patch": {
                    "summary": "Change a thing",
                    "operationId": "patch_thing",
                    "security": [{"bearerAuth": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/In"}}
                        },
                    },
                    "responses": {
                        "200": {"description": "OK"},
                        "404": {
                            "description": "Not found",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "In": {
                    "type": "object",
                    "title": "In",
                    "properties": {
                        "name": {"type": "string", "nullable": True, "default": None},
                        "size": {"type": "integer", "format": "int64", "maximum": 10.0},
                        "kind": {"type": "string", "enum": ["b", "a"], "minLength": 1},
                    },
                },
                "Error": ERROR,
            },
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
    inline_31 = {
        "openapi": "3.1.0",
        "paths": {
            "/things/{thing_id}": {
                "patch": {
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "security": [{"HTTPBearer": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "kind": {"enum": ["a", "b"], "type": "string"},
                                        "size": {"type": "integer", "maximum": 10},
                                        "name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "404": {
                            "description": "Thing not found",
                            "content": {"application/json": {"schema": ERROR}},
                        },
                        "200": {"description": "Changed"},
                    },
                }
            }
        },
        "components": {"securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}}},
    }
    assert normalise(ref_30) == normalise(inline_31)
    assert normalise(ref_30)["paths"]["/things/{thing_id}"]["patch"]["security"] == ["bearer"]


def test_nullable_written_three_ways_is_one_meaning() -> None:
    def body(schema: dict[str, Any]) -> Any:
        document = _document(
            requestBody={"content": {"application/json": {"schema": schema}}}, responses={}
        )
        return normalise(document)["paths"]["/things/{thing_id}"]["patch"]["requestBody"]

    forms = [
        {"type": "string", "nullable": True},
        {"type": ["string", "null"]},
        {"anyOf": [{"type": "null"}, {"type": "string"}]},
    ]
    assert len({json.dumps(body(form), sort_keys=True) for form in forms}) == 1


def test_what_a_service_sends_and_what_it_takes_differ_in_meaning() -> None:
    taken = {"type": "object", "properties": {"title": {"type": "string"}}}
    refused_null = _document(
        requestBody={"content": {"application/json": {"schema": taken}}}, responses={}
    )
    nullable = copy.deepcopy(refused_null)
    schema = nullable["paths"]["/things/{thing_id}"]["patch"]["requestBody"]["content"]
    schema["application/json"]["schema"]["properties"]["title"] = {
        "anyOf": [{"type": "string"}, {"type": "null"}]
    }
    found = differences(normalise(refused_null), normalise(nullable))
    assert any("properties.title" in line for line in found), found


def test_a_fastapi_422_is_told_apart_from_the_common_one() -> None:
    fastapi_422 = {
        "type": "object",
        "properties": {
            "detail": {
                "type": "array",
                "items": {"type": "object", "properties": {"loc": {}, "msg": {}, "type": {}}},
            }
        },
    }
    served = _document(
        responses={"422": {"content": {"application/json": {"schema": fastapi_422}}}}
    )
    expected = _document(responses={"422": {"content": {"application/json": {"schema": ERROR}}}})
    found = differences(normalise(expected), normalise(served))
    assert found and all(
        line.startswith("paths./things/{thing_id}.patch.responses.422") for line in found
    )


def test_defaults_and_closed_objects_mean_nothing_in_responses_only() -> None:
    def normalised(where: str) -> Any:
        schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {"kind": {"type": "string", "default": "a"}},
        }
        content = {"application/json": {"schema": schema}}
        operation: dict[str, Any] = {"responses": {}}
        if where == "response":
            operation["responses"]["200"] = {"content": content}
            part = normalise(_document(**operation))["paths"]["/things/{thing_id}"]["patch"]
            return part["responses"]["200"]["content"]["application/json"]["schema"]
        operation["requestBody"] = {"content": content}
        part = normalise(_document(**operation))["paths"]["/things/{thing_id}"]["patch"]
        return part["requestBody"]["content"]["application/json"]["schema"]

    assert normalised("response") == {"type": "object", "properties": {"kind": {"type": "string"}}}
    assert normalised("request")["additionalProperties"] is False
    assert normalised("request")["properties"]["kind"]["default"] == "a"


def test_differences_name_the_place_and_are_capped() -> None:
    found = differences({"a": {"b": 1, "c": 2}}, {"a": {"b": 2, "d": 3}})
    assert found == [
        "a.b: expected 1, served 2",
        "a.c: missing (expected 2)",
        "a.d: not expected (served 3)",
    ]
    many = differences({str(n): n for n in range(10)}, {}, limit=3)
    assert many[-1] == "... and 7 more differences" and len(many) == 4


def test_request_body_schema_inlines_references() -> None:
    document = {
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/X"}}
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"X": {"type": "object", "title": "X"}}},
    }
    assert request_body_schema(document, "/x", "POST") == {"type": "object"}
    assert request_body_schema(document, "/x", "get") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://8.8.8.8/hook",
        "HTTPS://example.com:8443/x?y=1",
        "http:8.8.8.8",
        "https:\\\\8.8.8.8\\x",
        "\x01 http://8.8.8.8",
        "ht\ttp://8.8.8.8",
        "http://" + "a" * 1993,
    ],
)
def test_schemathesis_never_registers_a_webhook_that_reaches_out(url: str) -> None:
    from toolkit.contracts.schemathesis_rules import SAFE_URL, safe_url

    safe = safe_url(url)
    assert safe.startswith(SAFE_URL)
    assert len(safe) == max(len(url), len(SAFE_URL))


def test_only_urls_are_rewritten() -> None:
    from toolkit.contracts.schemathesis_rules import safe_url

    for value in ["ftp://8.8.8.8", "not a url", "", "httpfoo"]:
        assert safe_url(value) == value


def test_the_narrowed_check_excuses_only_its_listed_reasons() -> None:
    from toolkit.contracts.schemathesis_rules import known_refusal

    body = {"amount": 2.0, "assignee_id": 7, "title": "x", "card": {"number": "4111"}}
    assert known_refusal("/tasks", body, {"field": "amount"})  # an integer written 2.0
    assert known_refusal("/tasks", body, {"field": "assignee_id"})  # an id naming nothing
    assert known_refusal("/payments", body, {"field": "card.number"})  # Luhn
    assert not known_refusal("/tasks", body, {"field": "card.number"})  # not on /tasks
    assert not known_refusal("/tasks", body, {"field": "title"})


def test_a_parameter_given_twice_is_a_difference() -> None:
    header = {"name": "Key", "in": "header", "required": True, "schema": {"type": "string"}}
    once = _document(parameters=[header], responses={})
    twice = _document(parameters=[header, {**header, "required": False}], responses={})
    found = differences(normalise(once), normalise(twice))
    assert found and "given twice" in found[0]
