"""Products and warehouses: admins manage them, everyone signed in reads them."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.inventory import new_product, new_warehouse, unique_code

Headers = dict[str, str]


@pytest.fixture
def manager_headers(headers_for: Callable[[str], Headers]) -> Headers:
    return headers_for("manager")


def test_admin_creates_a_product(client: Any, admin_headers: Headers) -> None:
    code = unique_code("ab")
    product = new_product(
        client,
        admin_headers,
        sku=f"  {code.lower()} ",
        name="Blue mug",
        price={"amount": 1250, "currency": "JPY"},
        category="kitchen",
        low_stock_threshold=4,
    )
    assert product["sku"] == code.upper()
    assert product["price"] == {"amount": 1250, "currency": "JPY"}
    assert (product["category"], product["low_stock_threshold"]) == ("kitchen", 4)
    assert product["is_active"] is True and product["description"] is None
    assert product["created_at"].endswith(("Z", "+00:00"))
    read = client.get(f"/products/{product['id']}", headers=admin_headers)
    assert read.status_code == 200 and read.json() == product


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sku": "AB"}, "sku"),
        ({"sku": "-ABC"}, "sku"),
        ({"sku": "AB_C1"}, "sku"),
        ({"sku": "ÄBC"}, "sku"),
        ({"sku": "A" * 33}, "sku"),
        ({"sku": None}, "sku"),
        ({"name": ""}, "name"),
        ({"price": {"amount": 19.99, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": 10.0, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": -1, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": 100, "currency": "eur"}}, "price.currency"),
        ({"price": {"amount": 100, "currency": "XXX"}}, "price.currency"),
        ({"price": 1999}, "price"),
        ({"low_stock_threshold": -1}, "low_stock_threshold"),
        ({"low_stock_threshold": 2.5}, "low_stock_threshold"),
        ({"category": ""}, "category"),
        ({"stock": 10}, "stock"),
    ],
)
def test_create_validates(
    client: Any, admin_headers: Headers, changes: dict[str, Any], field: str
) -> None:
    payload = {"sku": unique_code(), "name": "x", "price": {"amount": 1, "currency": "EUR"}}
    response = client.post("/products", json={**payload, **changes}, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}


def test_a_sku_is_unique_whatever_its_case(client: Any, admin_headers: Headers) -> None:
    code = unique_code()
    new_product(client, admin_headers, sku=code)
    again = {"sku": code.lower(), "name": "x", "price": {"amount": 1, "currency": "EUR"}}
    response = client.post("/products", json=again, headers=admin_headers)
    assert response.status_code == 409
    assert response.json()["detail"]


def test_only_admins_write_products_and_warehouses(
    client: Any, admin_headers: Headers, user_headers: Headers, manager_headers: Headers
) -> None:
    product = new_product(client, admin_headers)
    warehouse = new_warehouse(client, admin_headers)
    body = {"sku": unique_code(), "name": "x", "price": {"amount": 1, "currency": "EUR"}}
    for headers in (user_headers, manager_headers):
        assert client.post("/products", json=body, headers=headers).status_code == 403
        url = f"/products/{product['id']}"
        assert client.patch(url, json={"name": "y"}, headers=headers).status_code == 403
        # The role is checked before the body: no hint about what a valid one is.
        assert client.post("/products", json={}, headers=headers).status_code == 403
        wh = {"code": unique_code(), "name": "x"}
        assert client.post("/warehouses", json=wh, headers=headers).status_code == 403
        url = f"/warehouses/{warehouse['id']}"
        assert client.patch(url, json={"name": "y"}, headers=headers).status_code == 403
        # Everyone signed in reads.
        assert client.get(f"/products/{product['id']}", headers=headers).status_code == 200
        assert client.get("/warehouses", headers=headers).status_code == 200
    assert client.post("/products", json=body).status_code == 401
    assert client.get("/products").status_code == 401
    assert client.get("/warehouses").status_code == 401


def test_update_and_retire_a_product(client: Any, admin_headers: Headers) -> None:
    product = new_product(client, admin_headers, category="tools", description="old")
    url = f"/products/{product['id']}"
    changes = {
        "name": "Better widget",
        "price": {"amount": 2500, "currency": "USD"},
        "low_stock_threshold": 7,
        "description": None,
    }
    changed = client.patch(url, json=changes, headers=admin_headers)
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["name"] == "Better widget" and body["price"]["currency"] == "USD"
    assert body["description"] is None and body["category"] == "tools"
    assert body["sku"] == product["sku"]
    retired = client.patch(url, json={"is_active": False}, headers=admin_headers)
    assert retired.json()["is_active"] is False
    for payload in [{"sku": "NEW-SKU"}, {"name": None}, {"price": None}, {"is_active": None}]:
        assert client.patch(url, json=payload, headers=admin_headers).status_code == 422, payload


def test_missing_products_and_warehouses_are_404(client: Any, admin_headers: Headers) -> None:
    for url in ("/products", "/warehouses"):
        for suffix in ("999999", "abc", "99999999999999999999"):
            response = client.get(f"{url}/{suffix}", headers=admin_headers)
            assert response.status_code == 404, (url, suffix)
    response = client.patch("/products/999999", json={"name": "x"}, headers=admin_headers)
    assert response.status_code == 404


def test_list_products_filters_sorts_and_pages(client: Any, admin_headers: Headers) -> None:
    category = unique_code("cat")
    for sku, name, active in [("C", "Chair", True), ("A", "Table", True), ("B", "Lamp", False)]:
        fields = {"sku": f"{category}-{sku}", "name": name, "is_active": active}
        new_product(client, admin_headers, category=category, **fields)

    def skus(**params: Any) -> list[str]:
        params = {"category": category, **params}
        response = client.get("/products", params=params, headers=admin_headers)
        assert response.status_code == 200, response.text
        return [item["sku"].rsplit("-", 1)[1] for item in response.json()["items"]]

    assert skus() == ["A", "B", "C"]
    assert skus(is_active="false") == ["B"]
    assert skus(q="lAmP") == ["B"]
    assert skus(q=f"{category}-c".lower()) == ["C"]
    assert skus(q="%") == []
    page = client.get(
        "/products", params={"category": category, "limit": 1, "offset": 1}, headers=admin_headers
    ).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 1, 1, 1)
    bad = client.get("/products", params={"limit": 101}, headers=admin_headers)
    assert bad.status_code == 422


def test_warehouses(client: Any, admin_headers: Headers, user_headers: Headers) -> None:
    code = unique_code("wh")
    warehouse = new_warehouse(client, admin_headers, code=code.lower(), name="Berlin")
    assert warehouse["code"] == code.upper() and warehouse["name"] == "Berlin"
    duplicate = client.post(
        "/warehouses", json={"code": code, "name": "Again"}, headers=admin_headers
    )
    assert duplicate.status_code == 409
    for payload in [{"code": "x", "name": "n"}, {"code": unique_code(), "name": ""}, {}]:
        response = client.post("/warehouses", json=payload, headers=admin_headers)
        assert response.status_code == 422, payload
    url = f"/warehouses/{warehouse['id']}"
    renamed = client.patch(url, json={"name": "Berlin Mitte"}, headers=admin_headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Berlin Mitte"
    assert client.patch(url, json={"code": "NEW"}, headers=admin_headers).status_code == 422
    assert client.get(url, headers=user_headers).json()["name"] == "Berlin Mitte"
    listed = client.get("/warehouses", params={"limit": 100}, headers=user_headers).json()
    codes = [item["code"] for item in listed["items"]]
    assert code.upper() in codes and codes == sorted(codes)
