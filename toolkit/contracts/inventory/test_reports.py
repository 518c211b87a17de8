"""inventory: the low-stock and valuation reports."""

from typing import Any

import httpx

from ..conftest import Account, assert_error, error_fields
from .helpers import moved, new_product, new_warehouse, unique_code


def test_low_stock_counts_every_warehouse(
    api: httpx.Client, admin: Account, manager: Account, user: Account
) -> None:
    category = unique_code("low")
    a, b = new_warehouse(api, admin)["id"], new_warehouse(api, admin)["id"]

    def product(suffix: str, threshold: int, **fields: Any) -> int:
        fields.update(sku=f"{category}-{suffix}", category=category, low_stock_threshold=threshold)
        return new_product(api, admin, **fields)["id"]

    low, at, plenty, empty = product("A", 5), product("B", 4), product("C", 5), product("D", 0)
    product("E", 5, is_active=False)
    receipts = [(low, 2, a), (low, 2, b), (at, 4, a), (plenty, 3, a), (plenty, 3, b)]
    for product_id, quantity, warehouse in receipts:
        moved(api, manager, "receive", product_id, quantity, warehouse_id=warehouse)
    response = api.get("/reports/low-stock", params={"category": category}, headers=user.headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert set(page) == {"items", "total", "limit", "offset"}
    rows = [(i["product_id"], i["quantity"], i["low_stock_threshold"]) for i in page["items"]]
    assert rows == [(low, 4, 5), (at, 4, 4), (empty, 0, 0)]
    assert page["total"] == 3 and page["items"][0]["sku"] == f"{category}-A".upper()
    params = {"category": category, "limit": 1, "offset": 1}
    one = api.get("/reports/low-stock", params=params, headers=user.headers).json()
    assert [i["product_id"] for i in one["items"]] == [at] and one["total"] == 3
    bad = api.get("/reports/low-stock", params={"limit": 101}, headers=user.headers)
    assert error_fields(bad) == {"limit"}


def test_valuation_is_level_times_price_per_currency(
    api: httpx.Client, admin: Account, manager: Account, user: Account
) -> None:
    a, b = new_warehouse(api, admin)["id"], new_warehouse(api, admin)["id"]
    euro = new_product(api, admin, price={"amount": 250, "currency": "EUR"})["id"]
    gone = new_product(api, admin, price={"amount": 99, "currency": "EUR"})["id"]
    dinar = new_product(api, admin, price={"amount": 1500, "currency": "KWD"})["id"]
    moved(api, manager, "receive", euro, 4, warehouse_id=a)
    moved(api, manager, "receive", gone, 10, warehouse_id=a)
    moved(api, manager, "ship", gone, 10, warehouse_id=a)
    moved(api, manager, "receive", euro, 3, warehouse_id=b)
    moved(api, manager, "receive", dinar, 2, warehouse_id=b)
    moved(api, manager, "transfer", euro, 1, from_warehouse_id=a, to_warehouse_id=b)

    def totals(warehouse_id: int) -> list[dict[str, Any]]:
        params = {"warehouse_id": warehouse_id}
        response = api.get("/reports/valuation", params=params, headers=user.headers)
        assert response.status_code == 200, response.text
        return response.json()["totals"]

    assert totals(a) == [{"currency": "EUR", "amount": 750, "units": 3}]
    assert totals(b) == [
        {"currency": "EUR", "amount": 1000, "units": 4},
        {"currency": "KWD", "amount": 3000, "units": 2},
    ]
    everything = api.get("/reports/valuation", headers=user.headers)
    assert everything.status_code == 200
    currencies = [total["currency"] for total in everything.json()["totals"]]
    assert {"EUR", "KWD"} <= set(currencies) and currencies == sorted(currencies)
    assert all(isinstance(t["amount"], int) for t in everything.json()["totals"])
    missing = api.get(
        "/reports/valuation", params={"warehouse_id": 999_999_999}, headers=user.headers
    )
    assert_error(missing, 404)
    bad = api.get("/reports/valuation", params={"warehouse_id": "x"}, headers=user.headers)
    assert error_fields(bad) == {"warehouse_id"}
