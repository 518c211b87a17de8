"""Movements: receive, ship, adjust and transfer; the ledger; levels never below zero."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.inventory import ledger, level, move, moved, new_product, new_warehouse

Headers = dict[str, str]


@pytest.fixture
def manager_headers(headers_for: Callable[[str], Headers]) -> Headers:
    return headers_for("manager")


@pytest.fixture
def stock(client: Any, admin_headers: Headers) -> dict[str, int]:
    """A product and two warehouses, with no stock yet."""
    return {
        "product": new_product(client, admin_headers)["id"],
        "a": new_warehouse(client, admin_headers)["id"],
        "b": new_warehouse(client, admin_headers)["id"],
    }


def assert_books_balance(client: Any, headers: Headers, product_id: int) -> None:
    """Every level of the product equals the sum of its movements."""
    levels = client.get("/stock", params={"product_id": product_id}, headers=headers).json()
    assert levels["items"]
    for item in levels["items"]:
        entries = ledger(client, headers, product_id=product_id, warehouse_id=item["warehouse_id"])
        assert item["quantity"] == sum(entry["quantity"] for entry in entries)


def test_receive_ship_and_adjust(
    client: Any, manager_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a = stock["product"], stock["a"]
    receipt = moved(client, manager_headers, "receive", product, 10, warehouse_id=a, reason="PO-1")
    (movement,) = receipt["movements"]
    assert (movement["type"], movement["quantity"], movement["reason"]) == ("receive", 10, "PO-1")
    assert movement["warehouse_id"] == a and movement["transfer_id"] is None
    assert movement["created_at"].endswith(("Z", "+00:00"))
    me = client.get("/users/me", headers=manager_headers).json()
    assert movement["created_by_id"] == me["id"]
    assert [item["quantity"] for item in receipt["levels"]] == [10]

    shipped = moved(client, manager_headers, "ship", product, 3, warehouse_id=a)
    assert shipped["movements"][0]["quantity"] == -3
    assert shipped["levels"][0]["quantity"] == 7

    reason = "broken in transit"
    adjusted = moved(client, manager_headers, "adjust", product, -2, warehouse_id=a, reason=reason)
    assert adjusted["levels"][0]["quantity"] == 5
    adjusted = moved(client, manager_headers, "adjust", product, 4, warehouse_id=a, reason="count")
    assert adjusted["levels"][0]["quantity"] == 9
    assert level(client, manager_headers, product, a) == 9
    assert_books_balance(client, manager_headers, product)


def test_stock_never_goes_below_zero(
    client: Any, manager_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    moved(client, manager_headers, "receive", product, 5, warehouse_id=a)
    refused = [
        move(client, manager_headers, "ship", product, 6, warehouse_id=a),
        move(client, manager_headers, "ship", product, 1, warehouse_id=b),  # never had stock
        move(client, manager_headers, "adjust", product, -6, warehouse_id=a, reason="lost"),
        move(
            client, manager_headers, "transfer", product, 6, from_warehouse_id=a, to_warehouse_id=b
        ),
    ]
    for response in refused:
        assert response.status_code == 409, response.text
        assert response.json()["detail"]
    # Nothing changed: neither the levels nor the ledger.
    assert level(client, manager_headers, product, a) == 5
    assert level(client, manager_headers, product, b) == 0
    assert len(ledger(client, manager_headers, product_id=product)) == 1
    moved(client, manager_headers, "ship", product, 5, warehouse_id=a)
    assert level(client, manager_headers, product, a) == 0


def test_transfer_writes_two_linked_movements(
    client: Any, manager_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    moved(client, manager_headers, "receive", product, 8, warehouse_id=a)
    receipt = moved(
        client, manager_headers, "transfer", product, 3, from_warehouse_id=a, to_warehouse_id=b
    )
    out, into = receipt["movements"]
    assert (out["warehouse_id"], out["quantity"], out["counterpart_warehouse_id"]) == (a, -3, b)
    assert (into["warehouse_id"], into["quantity"], into["counterpart_warehouse_id"]) == (b, 3, a)
    assert out["type"] == into["type"] == "transfer"
    assert out["transfer_id"] and out["transfer_id"] == into["transfer_id"]
    levels = {item["warehouse_id"]: item["quantity"] for item in receipt["levels"]}
    assert levels == {a: 5, b: 3}
    back = moved(
        client, manager_headers, "transfer", product, 3, from_warehouse_id=b, to_warehouse_id=a
    )
    assert {item["warehouse_id"]: item["quantity"] for item in back["levels"]} == {a: 8, b: 0}
    assert_books_balance(client, manager_headers, product)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "steal"}, "type"),
        ({"type": None}, "type"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": 2.0}, "quantity"),
        ({"quantity": "3"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": 1_000_001}, "quantity"),
        ({"warehouse_id": None}, "warehouse_id"),
        ({"warehouse_id": "abc"}, "warehouse_id"),
        ({"from_warehouse_id": 1}, "from_warehouse_id"),
        ({"product_id": 0}, "product_id"),
        ({"product_id": 10**20}, "product_id"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"note": "hi"}, "note"),
        ({"type": "adjust", "reason": None}, "reason"),
        ({"type": "adjust", "quantity": 0, "reason": "count"}, "quantity"),
        ({"type": "transfer"}, "warehouse_id"),
        ({"type": "transfer", "warehouse_id": None}, "from_warehouse_id"),
        ({"type": "transfer", "warehouse_id": None, "from_warehouse_id": 1}, "to_warehouse_id"),
        (
            {
                "type": "transfer",
                "warehouse_id": None,
                "from_warehouse_id": 1,
                "to_warehouse_id": 1,
            },
            "to_warehouse_id",
        ),
    ],
)
def test_movements_validate(
    client: Any,
    manager_headers: Headers,
    stock: dict[str, Any],
    payload: dict[str, Any],
    field: str,
) -> None:
    body = {"type": "ship", "product_id": stock["product"], "warehouse_id": stock["a"]}
    body = {"quantity": 1, **body, **payload}
    response = client.post("/movements", json=body, headers=manager_headers)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}


def test_unknown_products_and_warehouses_are_404(
    client: Any, manager_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a, nowhere = stock["product"], stock["a"], 999_999
    responses = [
        move(client, manager_headers, "receive", nowhere, 1, warehouse_id=a),
        move(client, manager_headers, "receive", product, 1, warehouse_id=nowhere),
        move(
            client,
            manager_headers,
            "transfer",
            product,
            1,
            from_warehouse_id=a,
            to_warehouse_id=nowhere,
        ),
    ]
    for response in responses:
        assert response.status_code == 404, response.text


def test_inactive_products_take_no_movements(
    client: Any, admin_headers: Headers, manager_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a = stock["product"], stock["a"]
    moved(client, manager_headers, "receive", product, 2, warehouse_id=a)
    client.patch(f"/products/{product}", json={"is_active": False}, headers=admin_headers)
    response = move(client, manager_headers, "ship", product, 1, warehouse_id=a)
    assert response.status_code == 409
    assert "inactive" in response.json()["detail"]
    assert level(client, manager_headers, product, a) == 2


def test_only_managers_and_admins_move_stock(
    client: Any, user_headers: Headers, admin_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a = stock["product"], stock["a"]
    response = move(client, user_headers, "receive", product, 1, warehouse_id=a)
    assert response.status_code == 403
    # The role is checked before the body.
    assert client.post("/movements", json={}, headers=user_headers).status_code == 403
    assert client.post("/movements", json={}).status_code == 401
    assert client.get("/movements").status_code == 401
    assert client.get("/stock").status_code == 401
    moved(client, admin_headers, "receive", product, 1, warehouse_id=a)
    # Viewers read the ledger and the levels.
    assert len(ledger(client, user_headers, product_id=product)) == 1
    assert level(client, user_headers, product, a) == 1


def test_ledger_is_newest_first_filtered_and_paged(
    client: Any, manager_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    moved(client, manager_headers, "receive", product, 5, warehouse_id=a)
    moved(client, manager_headers, "receive", product, 4, warehouse_id=b)
    moved(client, manager_headers, "ship", product, 1, warehouse_id=a)
    moved(client, manager_headers, "transfer", product, 2, from_warehouse_id=b, to_warehouse_id=a)
    entries = ledger(client, manager_headers, product_id=product)
    kinds = ["transfer", "transfer", "ship", "receive", "receive"]
    assert [entry["type"] for entry in entries] == kinds
    assert [entry["id"] for entry in entries] == sorted((e["id"] for e in entries), reverse=True)
    in_a = ledger(client, manager_headers, product_id=product, warehouse_id=a)
    assert [entry["quantity"] for entry in in_a] == [2, -1, 5]
    ships = ledger(client, manager_headers, product_id=product, type="ship")
    assert [entry["quantity"] for entry in ships] == [-1]
    params = {"product_id": product, "limit": 2, "offset": 1}
    page = client.get("/movements", params=params, headers=manager_headers).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 1, 2)
    bad = client.get("/movements", params={"type": "steal"}, headers=manager_headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "type"


def test_stock_levels_filter_by_product_and_warehouse(
    client: Any, admin_headers: Headers, manager_headers: Headers, stock: dict[str, Any]
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    other = new_product(client, admin_headers)["id"]
    moved(client, manager_headers, "receive", product, 5, warehouse_id=a)
    moved(client, manager_headers, "receive", product, 6, warehouse_id=b)
    moved(client, manager_headers, "receive", other, 7, warehouse_id=a)

    def levels(**params: int) -> list[tuple[int, int, int]]:
        response = client.get("/stock", params=params, headers=manager_headers)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        return [(i["product_id"], i["warehouse_id"], i["quantity"]) for i in items]

    assert levels(product_id=product) == [(product, a, 5), (product, b, 6)]
    assert levels(warehouse_id=a) == [(product, a, 5), (other, a, 7)]
    assert levels(product_id=other, warehouse_id=b) == []
    bad = client.get("/stock", params={"product_id": "x"}, headers=manager_headers)
    assert bad.status_code == 422


@pytest.mark.parametrize("value", [True, 1.0, "1", 2**64])
@pytest.mark.parametrize("field", ["product_id", "warehouse_id", "quantity"])
def test_ids_and_quantities_are_json_integers(
    client: Any, manager_headers: Headers, stock: dict[str, Any], field: str, value: Any
) -> None:
    # JSON true once read as 1 shipped stock of product 1 (a 201).
    product, a = stock["product"], stock["a"]
    moved(client, manager_headers, "receive", product, 5, warehouse_id=a)
    body = {"type": "ship", "product_id": product, "warehouse_id": a, "quantity": 1}
    response = client.post("/movements", json={**body, field: value}, headers=manager_headers)
    assert response.status_code == 422, response.text
    assert field in {error["field"] for error in response.json()["errors"]}
    assert level(client, manager_headers, product, a) == 5
