"""Helpers of the inventory tests: products, warehouses and movements through the API.

What differs between the stacks (a shop on the database, threads with connections
of their own) is in ``tests/stock_stack.py``, one per stack, behind ``Shop``.
"""

import uuid
from collections import Counter
from collections.abc import Callable
from types import ModuleType
from typing import Any, Protocol

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
    result: dict[str, Any] = response.json()
    return result


def new_warehouse(client: Any, admin: Headers, **fields: Any) -> dict[str, Any]:
    """Create a warehouse as an admin and return it."""
    payload = {"code": unique_code("WH"), "name": "Main warehouse", **fields}
    response = client.post("/warehouses", json=payload, headers=admin)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


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
    result: dict[str, Any] = response.json()
    return result


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


class Shop(Protocol):
    """A manager, an admin, a product and two warehouses, for the race tests."""

    product_id: int
    warehouses: tuple[int, int]
    #: The stock services module; its ``_record`` writes one movement's transaction.
    services: ModuleType

    def move(self, **fields: Any) -> str:
        """Record a movement as the manager: "ok" or "conflict"."""

    def create_product(self, fields: dict[str, Any]) -> str:
        """Create a product as the admin: "ok" or "conflict"."""

    def level(self, warehouse_id: int) -> int:
        """The product's level in a warehouse (0 without a row)."""

    def ledger_sum(self, warehouse_id: int) -> int:
        """The sum of the product's movements in a warehouse."""

    def transfer_legs(self) -> list[tuple[str | None, int]]:
        """``(transfer_id, quantity)`` of every transfer movement."""

    def set_levels(self, quantity: int) -> None:
        """Set every level, bypassing the ledger."""

    def deadlock(self, driver_error: Exception) -> Exception:
        """The error the stack's database layer raises over a driver's ``driver_error``."""

    def run_concurrently(self, calls: list[Callable[[], str]]) -> Counter[str]:
        """Run every call in a thread of its own, all at once; count the outcomes."""
