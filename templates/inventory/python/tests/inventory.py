"""Helpers of the inventory tests: products, warehouses and movements through the API."""

import uuid
from typing import Any

Headers = dict[str, str]


def unique_code(prefix: str = "T") -> str:
    """A SKU or warehouse code no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


def new_product(client: Any, admin: Headers, **fields: Any) -> dict[str, Any]:
    """Create a product as an admin and return it."""
    payload = {
        "sku": unique_code("SKU"),
        "name": "Widget",
        "price": {"amount": 1999, "currency": "EUR"},
        **fields,
    }
    response = client.post("/products", json=payload, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


def new_warehouse(client: Any, admin: Headers, **fields: Any) -> dict[str, Any]:
    """Create a warehouse as an admin and return it."""
    payload = {"code": unique_code("WH"), "name": "Main warehouse", **fields}
    response = client.post("/warehouses", json=payload, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


def move(
    client: Any, headers: Headers, kind: str, product_id: int, quantity: Any, **fields: Any
) -> Any:
    """Post a movement of type ``kind`` and return the response."""
    payload = {"type": kind, "product_id": product_id, "quantity": quantity, **fields}
    return client.post("/movements", json=payload, headers=headers)


def moved(
    client: Any, headers: Headers, kind: str, product_id: int, quantity: int, **fields: Any
) -> dict[str, Any]:
    """Post a movement that must succeed and return its receipt."""
    response = move(client, headers, kind, product_id, quantity, **fields)
    assert response.status_code == 201, response.text
    return response.json()


def level(client: Any, headers: Headers, product_id: int, warehouse_id: int) -> int:
    """The stock level of a product in a warehouse (0 when it never had stock)."""
    params = {"product_id": product_id, "warehouse_id": warehouse_id}
    response = client.get("/stock", params=params, headers=headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return items[0]["quantity"] if items else 0


def ledger(client: Any, headers: Headers, **params: Any) -> list[dict[str, Any]]:
    """Every movement matching the filters, newest first (all pages)."""
    movements: list[dict[str, Any]] = []
    while True:
        query = {**params, "limit": 100, "offset": len(movements)}
        response = client.get("/movements", params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        movements.extend(page["items"])
        if len(movements) >= page["total"] or not page["items"]:
            return movements
