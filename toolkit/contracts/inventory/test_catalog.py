"""inventory: products and warehouses; viewers read, only admins write."""

from collections import Counter
from typing import Any

import httpx
import pytest

from ..common.load import Call, burst
from ..conftest import (
    Account,
    assert_cursors_refused,
    assert_error,
    error_fields,
    is_utc_timestamp,
    walk_cursor,
)
from .helpers import new_product, new_warehouse, unique_code


def test_registration_gives_the_viewer_role(api: httpx.Client, user: Account) -> None:
    assert api.get("/users/me", headers=user.headers).json()["role"] == "viewer"


def test_admin_creates_and_reads_a_product(api: httpx.Client, admin: Account) -> None:
    code = unique_code("ab")
    product = new_product(
        api,
        admin,
        sku=f" {code.lower()} ",
        name="Blue mug",
        description="stoneware",
        price={"amount": 1250, "currency": "JPY"},
        category="kitchen",
        low_stock_threshold=3,
    )
    assert product["sku"] == code.upper()
    assert product["price"] == {"amount": 1250, "currency": "JPY"}
    assert (product["name"], product["description"], product["category"]) == (
        "Blue mug",
        "stoneware",
        "kitchen",
    )
    assert product["is_active"] is True and product["low_stock_threshold"] == 3
    assert is_utc_timestamp(product["created_at"]) and is_utc_timestamp(product["updated_at"])
    read = api.get(f"/products/{product['id']}", headers=admin.headers)
    assert read.status_code == 200 and read.json() == product
    defaults = new_product(api, admin)
    assert defaults["low_stock_threshold"] == 0 and defaults["category"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sku": "AB"}, "sku"),
        ({"sku": "-ABC"}, "sku"),
        ({"sku": "AB_C"}, "sku"),
        ({"sku": "A" * 33}, "sku"),
        ({"name": ""}, "name"),
        ({"price": {"amount": 19.99, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": -5, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": 100, "currency": "euro"}}, "price.currency"),
        ({"price": {"amount": 100, "currency": "XXX"}}, "price.currency"),
        ({"low_stock_threshold": -1}, "low_stock_threshold"),
        ({"quantity": 5}, "quantity"),
    ],
)
def test_product_validation(
    api: httpx.Client, admin: Account, changes: dict[str, Any], field: str
) -> None:
    payload = {"sku": unique_code(), "name": "x", "price": {"amount": 1, "currency": "EUR"}}
    response = api.post("/products", json={**payload, **changes}, headers=admin.headers)
    assert field in error_fields(response)


def test_a_sku_is_unique_whatever_its_case(api: httpx.Client, admin: Account) -> None:
    code = unique_code()
    new_product(api, admin, sku=code)
    again = {"sku": code.lower(), "name": "x", "price": {"amount": 1, "currency": "EUR"}}
    assert_error(api.post("/products", json=again, headers=admin.headers), 409)


def test_a_sku_is_created_once_under_a_race(
    api: httpx.Client, base_url: str, admin: Account
) -> None:
    payload = {"sku": unique_code(), "name": "Race", "price": {"amount": 1, "currency": "EUR"}}

    race = burst(base_url, [Call("POST", "/products", payload, admin.headers)] * 10)
    race.assert_healthy({201, 409})
    assert race.statuses() == Counter({201: 1, 409: 9})
    listed = api.get("/products", params={"q": payload["sku"]}, headers=admin.headers).json()
    assert listed["total"] == 1


def test_only_admins_write_the_catalog(
    api: httpx.Client, admin: Account, user: Account, manager: Account
) -> None:
    product = new_product(api, admin)
    warehouse = new_warehouse(api, admin)
    body = {"sku": unique_code(), "name": "x", "price": {"amount": 1, "currency": "EUR"}}
    for account in (user, manager):
        assert_error(api.post("/products", json=body, headers=account.headers), 403)
        patch = {"name": "mine"}
        url = f"/products/{product['id']}"
        assert_error(api.patch(url, json=patch, headers=account.headers), 403)
        wh = {"code": unique_code(), "name": "x"}
        assert_error(api.post("/warehouses", json=wh, headers=account.headers), 403)
        url = f"/warehouses/{warehouse['id']}"
        assert_error(api.patch(url, json=patch, headers=account.headers), 403)
        # Every signed-in user reads.
        assert api.get(f"/products/{product['id']}", headers=account.headers).status_code == 200
        assert api.get(url, headers=account.headers).status_code == 200
    assert_error(api.post("/products", json=body), 401)
    for url in ("/products", "/warehouses", "/stock", "/movements", "/reports/low-stock"):
        assert_error(api.get(url), 401)
    assert_error(api.get("/reports/valuation"), 401)


def test_update_and_retire_a_product(api: httpx.Client, admin: Account) -> None:
    product = new_product(api, admin, category="tools", description="old")
    url = f"/products/{product['id']}"
    changes = {"name": "Better", "price": {"amount": 2500, "currency": "USD"}, "description": None}
    response = api.patch(url, json=changes, headers=admin.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["price"], body["description"]) == (
        "Better",
        {"amount": 2500, "currency": "USD"},
        None,
    )
    assert body["sku"] == product["sku"] and body["category"] == "tools"
    retired = api.patch(url, json={"is_active": False}, headers=admin.headers)
    assert retired.status_code == 200 and retired.json()["is_active"] is False
    assert "sku" in error_fields(api.patch(url, json={"sku": "NEW-1"}, headers=admin.headers))
    assert "name" in error_fields(api.patch(url, json={"name": None}, headers=admin.headers))


def test_missing_and_malformed_ids_are_404(api: httpx.Client, admin: Account) -> None:
    for url in ("/products", "/warehouses"):
        for suffix in ("999999999", "abc"):
            assert_error(api.get(f"{url}/{suffix}", headers=admin.headers), 404)
    assert_error(api.patch("/products/999999999", json={"name": "x"}, headers=admin.headers), 404)


def test_products_filter_sort_and_page(api: httpx.Client, admin: Account, user: Account) -> None:
    category = unique_code("cat")
    for suffix, name, active in [("C", "Chair", True), ("A", "Table", True), ("B", "Lamp", False)]:
        fields = {"sku": f"{category}-{suffix}", "name": name, "is_active": active}
        new_product(api, admin, category=category, **fields)

    def suffixes(**params: Any) -> list[str]:
        params = {"category": category, **params}
        response = api.get("/products", params=params, headers=user.headers)
        assert response.status_code == 200, response.text
        return [item["sku"].rsplit("-", 1)[1] for item in response.json()["items"]]

    assert suffixes() == ["A", "B", "C"]
    assert suffixes(is_active="true") == ["A", "C"]
    assert suffixes(q="lamp") == ["B"]
    params = {"category": category, "limit": 2, "offset": 1}
    page = api.get("/products", params=params, headers=user.headers).json()
    assert set(page) == {"items", "total", "limit", "offset", "next_cursor"}
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 1, 2)
    for bad in ({"limit": 101}, {"limit": 0}, {"offset": -1}):
        assert error_fields(api.get("/products", params=bad, headers=user.headers)) == set(bad)


def test_products_cursor_pagination(api: httpx.Client, admin: Account, user: Account) -> None:
    """?cursor= (the next_cursor of a page) gives the page after it, in SKU order, with
    the same filters; next_cursor is null on the last page; a cursor with an offset, or
    one the service did not make, is a 422 naming ``cursor``."""
    category = unique_code("cur")
    for suffix in "EDCBA":
        new_product(api, admin, category=category, sku=f"{category}-{suffix}", is_active=True)
    new_product(api, admin, category=category, sku=f"{category}-F", is_active=False)
    for filters in ({"category": category}, {"category": category, "is_active": "true"}):
        everything = api.get("/products", params=filters, headers=user.headers).json()
        assert everything["next_cursor"] is None
        total = len(everything["items"])
        walked = walk_cursor(api, "/products", filters, user.headers, total)
        assert [p["sku"] for p in walked] == [p["sku"] for p in everything["items"]], filters
    first = api.get("/products", params={"category": category, "limit": 2}, headers=user.headers)
    cursor = first.json()["next_cursor"]
    assert isinstance(cursor, str)
    forged = [["sku", 1], ["sku"], ["-created_at", "A"], {"sku": "A"}]
    assert_cursors_refused(api, "/products", user.headers, cursor, forged)


def test_warehouses(api: httpx.Client, admin: Account, user: Account) -> None:
    code = unique_code("wh")
    warehouse = new_warehouse(api, admin, code=code.lower(), name="Berlin")
    assert warehouse["code"] == code.upper() and is_utc_timestamp(warehouse["created_at"])
    duplicate = {"code": code, "name": "Again"}
    assert_error(api.post("/warehouses", json=duplicate, headers=admin.headers), 409)
    assert "code" in error_fields(
        api.post("/warehouses", json={"code": "x", "name": "n"}, headers=admin.headers)
    )
    url = f"/warehouses/{warehouse['id']}"
    renamed = api.patch(url, json={"name": "Berlin Mitte"}, headers=admin.headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Berlin Mitte"
    assert "code" in error_fields(api.patch(url, json={"code": "NEW"}, headers=admin.headers))
    assert api.get(url, headers=user.headers).json()["name"] == "Berlin Mitte"
    page = api.get("/warehouses", params={"limit": 100}, headers=user.headers).json()
    assert set(page) == {"items", "total", "limit", "offset"} and page["total"] >= 1
