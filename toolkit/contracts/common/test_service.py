"""Every kind: health, the OpenAPI document, and JSON errors for unknown routes."""

import os

import httpx

from ..conftest import ISSUED_ELSEWHERE, ISSUER, NO_DELETE, Account, assert_error


def test_health(api: httpx.Client) -> None:
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_document_describes_every_endpoint_of_the_kind(api: httpx.Client) -> None:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    kind = os.environ.get("SCAFFOLD_KIND")
    if kind:
        from toolkit import load_catalog

        expected = {
            (e.method.lower(), e.path)
            for e in load_catalog().kind(kind).endpoints
            if ISSUER is None or not e.path.startswith(ISSUED_ELSEWHERE)
        }
        served = {
            (method.lower(), path)
            for path, operations in document["paths"].items()
            for method in operations
        }
        assert expected <= served, sorted(expected - served)


def test_unknown_route_is_a_json_404(api: httpx.Client) -> None:
    assert_error(api.get("/no-such-route"), 404)


def test_wrong_method_is_a_json_405(api: httpx.Client) -> None:
    assert_error(api.delete(NO_DELETE), 405)


def test_trailing_slashes_and_huge_ids_are_plain_404s(api: httpx.Client, admin: Account) -> None:
    assert_error(api.get("/users/me/"), 404)
    assert_error(api.get(f"/users/{2**70}", headers=admin.headers), 404)
    huge = api.get("/users", params={"offset": 2**70}, headers=admin.headers)
    assert_error(huge, 422)
