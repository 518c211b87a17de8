"""`scaffold serve`'s OpenAPI document: valid, and true to the app's routes and answers."""

from collections.abc import Iterator
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from starlette.routing import Mount, Route

from toolkit import Catalog, load_catalog
from toolkit.web._app import ServeSettings, create_app
from toolkit.web._params import PREVIEW_PARAMETERS, SPEC_PARAMETERS

from .web_support import TestClient, catalog_with_gaps, client

PAGE_ASSETS = "/static"  # the page's files, named in the document's description


@pytest.fixture(scope="module")
def app_and_client() -> Iterator[tuple[Any, TestClient]]:
    app = create_app(ServeSettings(), catalog=catalog_with_gaps(load_catalog()))
    with client(app) as api:
        yield app, api


@pytest.fixture(scope="module")
def document(app_and_client: tuple[Any, TestClient]) -> dict[str, Any]:
    return app_and_client[1].get("/openapi.json").json()


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_is_documented_and_nothing_else(
    app_and_client: tuple[Any, TestClient], document: dict[str, Any]
) -> None:
    app = app_and_client[0]
    served: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path == PAGE_ASSETS
            continue
        assert isinstance(route, Route)
        served |= {(route.path, m.lower()) for m in route.methods or () if m != "HEAD"}
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert served == documented
    assert PAGE_ASSETS in document["info"]["description"]


def test_the_parameters_are_those_the_app_reads(document: dict[str, Any], catalog: Catalog) -> None:
    def names(path: str, method: str = "get") -> list[str]:
        return [p["name"] for p in document["paths"][path][method]["parameters"]]

    for path in ("/spec", "/starter.zip", "/starter.tgz"):
        assert names(path) == list(SPEC_PARAMETERS)
    assert names("/starter.zip", "post") == list(SPEC_PARAMETERS)
    form = document["paths"]["/starter.zip"]["post"]["requestBody"]["content"]
    assert list(form["application/x-www-form-urlencoded"]["schema"]["properties"]) == list(
        SPEC_PARAMETERS
    )
    assert names("/preview") == list(PREVIEW_PARAMETERS)
    enums = {p["name"]: p["schema"] for p in document["paths"]["/spec"]["get"]["parameters"]}
    assert enums["kind"]["enum"] == sorted(catalog.kinds)
    assert enums["framework"]["enum"] == sorted(catalog.frameworks)
    assert enums["database"]["enum"] == sorted(catalog.databases)
    assert enums["feature"]["items"]["enum"] == sorted(catalog.features)


# What the app answers, checked against what the document says it answers.
EXCHANGES = [
    ("get", "/health", 200),
    ("get", "/metadata", 200),
    ("get", "/spec?kind=task-api&name=x", 200),
    ("get", "/spec?kind=nope", 400),
    ("get", "/spec?kind=blog-api&framework=express", 400),
    ("get", "/preview?kind=task-api", 200),
    ("get", "/preview?kind=task-api&path=README.md", 200),
    ("get", "/preview?kind=task-api&path=../../etc/passwd", 404),
    ("get", "/preview?kind=task-api&name=" + "a" * 5000, 414),
    ("get", "/starter.zip?kind=task-api", 200),
    ("get", "/starter.tgz?kind=task-api&git=true", 200),
    ("get", "/starter.zip?kind=task-api&kind=x", 400),
    ("post", "/starter.zip", 413),
    ("post", "/starter.tgz", 415),
    ("get", "/", 200),
    ("get", "/highlight.css", 200),
    ("get", "/openapi.json", 200),
]


@pytest.mark.parametrize(("method", "url", "status"), EXCHANGES, ids=[e[1][:50] for e in EXCHANGES])
def test_answers_match_the_document(
    app_and_client: tuple[Any, TestClient],
    document: dict[str, Any],
    method: str,
    url: str,
    status: int,
) -> None:
    api = app_and_client[1]
    if method == "post":
        body = (
            {
                "content": b"x" * 10000,
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            }
            if status == 413
            else {"json": {"kind": "task-api"}}
        )
        response = api.post(url, **body)
    else:
        response = api.get(url)
    assert response.status_code == status, response.text
    path = url.split("?")[0]
    documented = document["paths"][path][method]["responses"]
    assert str(status) in documented, f"{method} {path} answers {status}, undocumented"
    answer = documented[str(status)]
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in answer.get("content", {}), media_type
    schema = answer["content"][media_type].get("schema")
    if media_type == "application/json" and schema is not None:
        # The schema's $refs point into the document's components.
        OAS31Validator({**schema, "components": document["components"]}).validate(response.json())
    for header in answer.get("headers", {}):
        assert header.lower() in response.headers, header


def test_a_429_is_documented_where_renders_happen(document: dict[str, Any]) -> None:
    for path in ("/preview", "/starter.zip", "/starter.tgz"):
        answer = document["paths"][path]["get"]["responses"]["429"]
        assert "Retry-After" in answer["headers"]
