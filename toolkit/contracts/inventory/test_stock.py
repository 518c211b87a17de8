"""inventory: movements change stock through a ledger; levels never go below zero."""

from collections import Counter

import httpx
import pytest

from ..common.load import BURST, Call, burst
from ..conftest import Account, assert_error, error_fields, is_utc_timestamp
from .helpers import (
    assert_books_balance,
    ledger,
    level,
    move,
    moved,
    new_product,
    new_warehouse,
)

#: Movements sent at once by the race tests (the README promises 200).
CONCURRENT_REQUESTS = BURST
STOCK = 20


@pytest.fixture
def stock(api: httpx.Client, admin: Account) -> dict[str, int]:
    """A fresh product and two fresh warehouses, with no stock."""
    return {
        "product": new_product(api, admin)["id"],
        "a": new_warehouse(api, admin)["id"],
        "b": new_warehouse(api, admin)["id"],
    }


def test_receive_ship_and_adjust(api: httpx.Client, manager: Account, stock: dict) -> None:
    product, a = stock["product"], stock["a"]
    receipt = moved(api, manager, "receive", product, 10, warehouse_id=a, reason="PO-7")
    assert set(receipt) == {"movements", "levels"}
    (movement,) = receipt["movements"]
    assert movement["type"] == "receive" and movement["quantity"] == 10
    assert movement["product_id"] == product and movement["warehouse_id"] == a
    assert movement["reason"] == "PO-7" and is_utc_timestamp(movement["created_at"])
    me = api.get("/users/me", headers=manager.headers).json()
    assert movement["created_by_id"] == me["id"]
    (new_level,) = receipt["levels"]
    assert (new_level["product_id"], new_level["warehouse_id"], new_level["quantity"]) == (
        product,
        a,
        10,
    )
    shipped = moved(api, manager, "ship", product, 4, warehouse_id=a)
    assert shipped["movements"][0]["quantity"] == -4 and shipped["levels"][0]["quantity"] == 6
    down = moved(api, manager, "adjust", product, -1, warehouse_id=a, reason="damaged")
    assert down["levels"][0]["quantity"] == 5
    up = moved(api, manager, "adjust", product, 2, warehouse_id=a, reason="recount")
    assert up["levels"][0]["quantity"] == 7
    assert level(api, manager, product, a) == 7
    assert_books_balance(api, manager, product)


def test_no_movement_takes_stock_below_zero(
    api: httpx.Client, manager: Account, stock: dict
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    moved(api, manager, "receive", product, 5, warehouse_id=a)
    refused = [
        move(api, manager, "ship", product, 6, warehouse_id=a),
        move(api, manager, "ship", product, 1, warehouse_id=b),
        move(api, manager, "adjust", product, -6, warehouse_id=a, reason="lost"),
        move(api, manager, "transfer", product, 6, from_warehouse_id=a, to_warehouse_id=b),
    ]
    for response in refused:
        assert_error(response, 409)
    assert (level(api, manager, product, a), level(api, manager, product, b)) == (5, 0)
    assert len(ledger(api, manager, product_id=product)) == 1
    moved(api, manager, "ship", product, 5, warehouse_id=a)
    assert level(api, manager, product, a) == 0


def test_a_transfer_is_two_linked_movements(
    api: httpx.Client, manager: Account, stock: dict
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    moved(api, manager, "receive", product, 8, warehouse_id=a)
    receipt = moved(api, manager, "transfer", product, 3, from_warehouse_id=a, to_warehouse_id=b)
    out, into = receipt["movements"]
    assert (out["warehouse_id"], out["quantity"], out["counterpart_warehouse_id"]) == (a, -3, b)
    assert (into["warehouse_id"], into["quantity"], into["counterpart_warehouse_id"]) == (b, 3, a)
    assert out["type"] == into["type"] == "transfer"
    assert out["transfer_id"] and out["transfer_id"] == into["transfer_id"]
    levels = {item["warehouse_id"]: item["quantity"] for item in receipt["levels"]}
    assert levels == {a: 5, b: 3}
    assert (level(api, manager, product, a), level(api, manager, product, b)) == (5, 3)
    assert_books_balance(api, manager, product)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "steal"}, "type"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "3"}, "quantity"),
        ({"quantity": 1_000_001}, "quantity"),
        ({"warehouse_id": None}, "warehouse_id"),
        ({"type": "adjust", "quantity": -1}, "reason"),
        ({"type": "transfer"}, "warehouse_id"),
        ({"type": "transfer", "warehouse_id": None}, "from_warehouse_id"),
        ({"type": "transfer", "warehouse_id": None, "from_warehouse_id": 5}, "to_warehouse_id"),
        (
            {
                "type": "transfer",
                "warehouse_id": None,
                "from_warehouse_id": 5,
                "to_warehouse_id": 5,
            },
            "to_warehouse_id",
        ),
        ({"extra": 1}, "extra"),
    ],
)
def test_movement_validation(
    api: httpx.Client, manager: Account, stock: dict, payload: dict, field: str
) -> None:
    body = {"type": "ship", "product_id": stock["product"], "warehouse_id": stock["a"]}
    body = {"quantity": 1, **body, **payload}
    response = api.post("/movements", json=body, headers=manager.headers)
    assert field in error_fields(response)


def test_unknown_products_and_warehouses_are_404(
    api: httpx.Client, manager: Account, stock: dict
) -> None:
    product, a, nowhere = stock["product"], stock["a"], 999_999_999
    assert_error(move(api, manager, "receive", nowhere, 1, warehouse_id=a), 404)
    assert_error(move(api, manager, "receive", product, 1, warehouse_id=nowhere), 404)
    transfer = move(
        api, manager, "transfer", product, 1, from_warehouse_id=a, to_warehouse_id=nowhere
    )
    assert_error(transfer, 404)


def test_an_inactive_product_takes_no_movements(
    api: httpx.Client, admin: Account, manager: Account, stock: dict
) -> None:
    product, a = stock["product"], stock["a"]
    moved(api, manager, "receive", product, 2, warehouse_id=a)
    api.patch(f"/products/{product}", json={"is_active": False}, headers=admin.headers)
    assert_error(move(api, manager, "ship", product, 1, warehouse_id=a), 409)
    assert_error(move(api, manager, "receive", product, 1, warehouse_id=a), 409)
    assert level(api, manager, product, a) == 2


def test_only_managers_and_admins_move_stock(
    api: httpx.Client, admin: Account, user: Account, stock: dict
) -> None:
    product, a = stock["product"], stock["a"]
    assert_error(move(api, user, "receive", product, 1, warehouse_id=a), 403)
    assert_error(api.post("/movements", json={}, headers=user.headers), 403)
    assert_error(api.post("/movements", json={"type": "receive"}), 401)
    moved(api, admin, "receive", product, 1, warehouse_id=a)
    assert [entry["quantity"] for entry in ledger(api, user, product_id=product)] == [1]
    assert level(api, user, product, a) == 1


def test_the_ledger_is_newest_first_filtered_and_paged(
    api: httpx.Client, manager: Account, stock: dict
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    moved(api, manager, "receive", product, 5, warehouse_id=a)
    moved(api, manager, "receive", product, 4, warehouse_id=b)
    moved(api, manager, "ship", product, 1, warehouse_id=a)
    moved(api, manager, "transfer", product, 2, from_warehouse_id=b, to_warehouse_id=a)
    entries = ledger(api, manager, product_id=product)
    kinds = ["transfer", "transfer", "ship", "receive", "receive"]
    assert [entry["type"] for entry in entries] == kinds
    ids = [entry["id"] for entry in entries]
    assert ids == sorted(ids, reverse=True)
    in_a = ledger(api, manager, product_id=product, warehouse_id=a)
    assert [entry["quantity"] for entry in in_a] == [2, -1, 5]
    ships = ledger(api, manager, product_id=product, type="ship")
    assert [entry["quantity"] for entry in ships] == [-1]
    params = {"product_id": product, "limit": 2, "offset": 1}
    page = api.get("/movements", params=params, headers=manager.headers).json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 1, 2)
    assert "type" in error_fields(
        api.get("/movements", params={"type": "steal"}, headers=manager.headers)
    )
    levels = api.get("/stock", params={"product_id": product}, headers=manager.headers).json()
    assert set(levels) == {"items", "total", "limit", "offset"}
    rows = [(i["warehouse_id"], i["quantity"]) for i in levels["items"]]
    assert sorted(rows) == sorted([(a, 6), (b, 2)])
    assert "warehouse_id" in error_fields(
        api.get("/stock", params={"warehouse_id": "x"}, headers=manager.headers)
    )


def test_concurrent_ships_never_oversell(
    api: httpx.Client, base_url: str, manager: Account, stock: dict
) -> None:
    product, a = stock["product"], stock["a"]
    moved(api, manager, "receive", product, STOCK, warehouse_id=a)
    payload = {"type": "ship", "product_id": product, "warehouse_id": a, "quantity": 1}
    ships = burst(base_url, [Call("POST", "/movements", payload, manager.headers)] * BURST)
    ships.assert_healthy({201, 409})
    assert ships.statuses() == Counter({201: STOCK, 409: CONCURRENT_REQUESTS - STOCK})
    assert level(api, manager, product, a) == 0
    entries = ledger(api, manager, product_id=product, warehouse_id=a)
    assert sum(entry["quantity"] for entry in entries) == 0
    assert len(entries) == 1 + STOCK


def test_concurrent_transfers_keep_the_books(
    api: httpx.Client, base_url: str, manager: Account, stock: dict
) -> None:
    product, a, b = stock["product"], stock["a"], stock["b"]
    moved(api, manager, "receive", product, 5, warehouse_id=a)
    moved(api, manager, "receive", product, 5, warehouse_id=b)
    there = {"from_warehouse_id": a, "to_warehouse_id": b, "quantity": 1}
    back = {"from_warehouse_id": b, "to_warehouse_id": a, "quantity": 2}
    payloads = [
        {"type": "transfer", "product_id": product, **fields}
        for fields in [there, back] * (CONCURRENT_REQUESTS // 2)
    ]
    transfers = burst(base_url, [Call("POST", "/movements", p, manager.headers) for p in payloads])
    transfers.assert_healthy({201, 409})
    statuses = transfers.statuses()
    assert statuses[201] > 0, statuses
    levels = (level(api, manager, product, a), level(api, manager, product, b))
    assert min(levels) >= 0 and sum(levels) == 10
    assert_books_balance(api, manager, product)
    legs = ledger(api, manager, product_id=product, type="transfer")
    assert len(legs) == 2 * statuses[201]
    pairs: dict[str, int] = Counter()
    for leg in legs:
        pairs[leg["transfer_id"]] += leg["quantity"]
    assert len(pairs) == statuses[201] and set(pairs.values()) == {0}
