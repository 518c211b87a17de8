"""Helpers of the inventory contract: products, warehouses and movements over HTTP."""

import uuid
from typing import Any

import httpx

from ..conftest import Account


def unique_code(prefix: str = "C") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


def new_product(api: httpx.Client, admin: Account, **fields: Any) -> dict[str, Any]:
    payload = {
        "sku": unique_code("SKU"),
        "name": "Contract widget",
        "price": {"amount": 1999, "currency": "EUR"},
        **fields,
    }
    response = api.post("/products", json=payload, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()


def new_warehouse(api: httpx.Client, admin: Account, **fields: Any) -> dict[str, Any]:
    payload = {"code": unique_code("WH"), "name": "Contract warehouse", **fields}
    response = api.post("/warehouses", json=payload, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()


def move(
    api: httpx.Client, account: Account, kind: str, product_id: int, quantity: Any, **fields: Any
) -> httpx.Response:
    payload = {"type": kind, "product_id": product_id, "quantity": quantity, **fields}
    return api.post("/movements", json=payload, headers=account.headers)


def moved(
    api: httpx.Client, account: Account, kind: str, product_id: int, quantity: int, **fields: Any
) -> dict[str, Any]:
    response = move(api, account, kind, product_id, quantity, **fields)
    assert response.status_code == 201, response.text
    return response.json()


def level(api: httpx.Client, account: Account, product_id: int, warehouse_id: int) -> int:
    params = {"product_id": product_id, "warehouse_id": warehouse_id}
    response = api.get("/stock", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return items[0]["quantity"] if items else 0


def ledger(api: httpx.Client, account: Account, **params: Any) -> list[dict[str, Any]]:
    """Every movement matching the filters, newest first, read page by page."""
    movements: list[dict[str, Any]] = []
    while True:
        query = {**params, "limit": 100, "offset": len(movements)}
        response = api.get("/movements", params=query, headers=account.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        movements.extend(page["items"])
        if len(movements) >= page["total"] or not page["items"]:
            return movements


def assert_books_balance(api: httpx.Client, account: Account, product_id: int) -> None:
    """Every level of the product equals the sum of its movements."""
    params = {"product_id": product_id, "limit": 100}
    levels = api.get("/stock", params=params, headers=account.headers).json()["items"]
    assert levels
    for item in levels:
        entries = ledger(api, account, product_id=product_id, warehouse_id=item["warehouse_id"])
        assert item["quantity"] == sum(entry["quantity"] for entry in entries), item
