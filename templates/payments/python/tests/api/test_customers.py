"""Customers: create, read, change, ownership, validation, pagination."""

from typing import Any

import pytest

Headers = dict[str, str]


def create(client: Any, headers: Headers, **fields: Any) -> dict[str, Any]:
    payload = {"name": "Ada Lovelace", "email": "ada@example.com", **fields}
    response = client.post("/customers", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_create_read_update(client: Any, user_headers: Headers) -> None:
    customer = create(client, user_headers, email="Ada@Example.com")
    assert customer["email"] == "ada@example.com"
    assert customer["created_at"].endswith(("Z", "+00:00"))
    url = f"/customers/{customer['id']}"
    assert client.get(url, headers=user_headers).json() == customer
    changed = client.patch(url, json={"name": "Ada King"}, headers=user_headers)
    assert changed.status_code == 200
    assert changed.json()["name"] == "Ada King"
    assert changed.json()["email"] == "ada@example.com"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "a@example.com"}, "name"),
        ({"name": "", "email": "a@example.com"}, "name"),
        ({"name": "x" * 201, "email": "a@example.com"}, "name"),
        ({"name": "a\u0000b", "email": "a@example.com"}, "name"),
        ({"name": "Ada"}, "email"),
        ({"name": "Ada", "email": "not-an-email"}, "email"),
        ({"name": "Ada", "email": "a@example.com", "owner_id": 1}, "owner_id"),
    ],
)
def test_create_validates(
    client: Any, user_headers: Headers, payload: dict[str, Any], field: str
) -> None:
    response = client.post("/customers", json=payload, headers=user_headers)
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}


def test_update_refuses_null(client: Any, user_headers: Headers) -> None:
    url = f"/customers/{create(client, user_headers)['id']}"
    for payload in [{"name": None}, {"email": None}, {"email": "nope"}, {"id": 3}]:
        assert client.patch(url, json=payload, headers=user_headers).status_code == 422, payload


def test_customers_are_private(
    client: Any, user_headers: Headers, other_headers: Headers, admin_headers: Headers
) -> None:
    customer = create(client, user_headers)
    url = f"/customers/{customer['id']}"
    assert client.get(url, headers=other_headers).status_code == 404
    assert client.patch(url, json={"name": "x"}, headers=other_headers).status_code == 404
    assert client.get("/customers", headers=other_headers).json()["total"] == 0
    assert client.get(url, headers=admin_headers).status_code == 200
    assert client.get("/customers", headers=admin_headers).json()["total"] >= 1
    assert client.get("/customers").status_code == 401


def test_list_filters_and_paginates(client: Any, user_headers: Headers) -> None:
    for number in range(3):
        create(client, user_headers, email=f"c{number}@example.com")
    page = client.get("/customers", params={"limit": 2, "offset": 1}, headers=user_headers).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 1, 2)
    found = client.get("/customers", params={"email": "C1@example.com"}, headers=user_headers)
    assert [c["email"] for c in found.json()["items"]] == ["c1@example.com"]
    for params in ({"limit": 101}, {"offset": 10**30}, {"email": "a\u0000b"}):
        bad = client.get("/customers", params=params, headers=user_headers)
        assert bad.status_code == 422, params


def test_malformed_and_huge_ids_are_404(client: Any, user_headers: Headers) -> None:
    for customer_id in ["abc", "999999", str(2**70), "-1"]:
        response = client.get(f"/customers/{customer_id}", headers=user_headers)
        assert response.status_code == 404, customer_id
