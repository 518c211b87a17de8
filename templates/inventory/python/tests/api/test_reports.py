"""Reports: products low on stock, and the value of the stock per currency."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.inventory import moved, new_product, new_warehouse, unique_code

Headers = dict[str, str]


@pytest.fixture
def manager_headers(headers_for: Callable[[str], Headers]) -> Headers:
    return headers_for("manager")


def test_low_stock_sums_every_warehouse(
    client: Any, admin_headers: Headers, manager_headers: Headers, user_headers: Headers
) -> None:
    category = unique_code("low")
    a = new_warehouse(client, admin_headers)["id"]
    b = new_warehouse(client, admin_headers)["id"]

    def product(sku: str, threshold: int, **fields: Any) -> int:
        fields.update(sku=f"{category}-{sku}", category=category, low_stock_threshold=threshold)
        product_id: int = new_product(client, admin_headers, **fields)["id"]
        return product_id

    low = product("A", 5)  # 2 + 2 units: low
    at = product("B", 4)  # 4 units, at the threshold: low
    plenty = product("C", 5)  # 3 + 3 units: fine
    empty = product("D", 0)  # never stocked, threshold 0: low
    product("E", 5, is_active=False)  # inactive: never reported
    receipts = [(low, 2, a), (low, 2, b), (at, 4, a), (plenty, 3, a), (plenty, 3, b)]
    for product_id, quantity, warehouse in receipts:
        moved(client, manager_headers, "receive", product_id, quantity, warehouse_id=warehouse)

    response = client.get("/reports/low-stock", params={"category": category}, headers=user_headers)
    assert response.status_code == 200, response.text
    page = response.json()
    rows = [(i["product_id"], i["quantity"], i["low_stock_threshold"]) for i in page["items"]]
    assert rows == [(low, 4, 5), (at, 4, 4), (empty, 0, 0)]
    assert page["total"] == 3 and page["items"][0]["sku"] == f"{category}-A".upper()
    params = {"category": category, "limit": 1, "offset": 2}
    one = client.get("/reports/low-stock", params=params, headers=user_headers).json()
    assert [i["product_id"] for i in one["items"]] == [empty] and one["total"] == 3
    assert client.get("/reports/low-stock").status_code == 401


def test_valuation_per_currency(
    client: Any, admin_headers: Headers, manager_headers: Headers, user_headers: Headers
) -> None:
    a = new_warehouse(client, admin_headers)["id"]
    b = new_warehouse(client, admin_headers)["id"]
    euro = new_product(client, admin_headers, price={"amount": 250, "currency": "EUR"})["id"]
    cheap = new_product(client, admin_headers, price={"amount": 99, "currency": "EUR"})["id"]
    yen = new_product(client, admin_headers, price={"amount": 1200, "currency": "JPY"})["id"]
    moved(client, manager_headers, "receive", euro, 4, warehouse_id=a)
    moved(client, manager_headers, "receive", cheap, 10, warehouse_id=a)
    moved(client, manager_headers, "ship", cheap, 10, warehouse_id=a)  # nothing left
    moved(client, manager_headers, "receive", euro, 3, warehouse_id=b)
    moved(client, manager_headers, "receive", yen, 2, warehouse_id=b)

    def totals(**params: int) -> list[dict[str, Any]]:
        response = client.get("/reports/valuation", params=params, headers=user_headers)
        assert response.status_code == 200, response.text
        result: list[dict[str, Any]] = response.json()["totals"]
        return result

    assert totals(warehouse_id=a) == [{"currency": "EUR", "amount": 1000, "units": 4}]
    assert totals(warehouse_id=b) == [
        {"currency": "EUR", "amount": 750, "units": 3},
        {"currency": "JPY", "amount": 2400, "units": 2},
    ]
    everything = {t["currency"]: t for t in totals()}
    assert everything["EUR"] == {"currency": "EUR", "amount": 1750, "units": 7}
    assert everything["JPY"]["amount"] == 2400
    missing = client.get(
        "/reports/valuation", params={"warehouse_id": 999_999}, headers=user_headers
    )
    assert missing.status_code == 404
