"""inventory under load: movements and reads at once; the books balance and never go below zero."""

import httpx

from ..common.load import BURST, Call, burst
from ..conftest import Account
from .helpers import assert_books_balance, ledger, level, moved, new_product, new_warehouse

#: Units received before the burst: fewer than the ships the burst asks for.
STOCK = 30


def test_a_burst_of_movements_and_reads_keeps_the_books(
    base_url: str, api: httpx.Client, admin: Account, manager: Account
) -> None:
    product = new_product(api, admin)["id"]
    a, b = new_warehouse(api, admin)["id"], new_warehouse(api, admin)["id"]
    moved(api, manager, "receive", product, STOCK, warehouse_id=a)
    writes = [
        {"type": "ship", "product_id": product, "warehouse_id": a, "quantity": 1},
        {"type": "receive", "product_id": product, "warehouse_id": b, "quantity": 2},
        {"type": "transfer", "product_id": product, "from_warehouse_id": a,
         "to_warehouse_id": b, "quantity": 1},
        {"type": "adjust", "product_id": product, "warehouse_id": b, "quantity": -1,
         "reason": "load"},
    ]  # fmt: skip
    reads = [
        f"/stock?product_id={product}",
        f"/movements?product_id={product}&limit=5",
        f"/products/{product}",
        "/reports/low-stock",
    ]
    calls = [
        Call("POST", "/movements", writes[i // 2 % 4], manager.headers)
        if i % 2 == 0
        else Call("GET", reads[i // 2 % 4], headers=manager.headers)
        for i in range(BURST)
    ]
    result = burst(base_url, calls)
    result.assert_healthy({200, 201, 409})
    refused = [a for a in result.with_status(409) if a.call.method == "POST"]
    # Only what takes units out can be refused (not enough stock); a receipt never is.
    assert all(a.call.body["type"] != "receive" for a in refused), refused
    assert len(result.with_status(201)) + len(refused) == BURST // 2

    levels = (level(api, manager, product, a), level(api, manager, product, b))
    assert min(levels) >= 0
    assert_books_balance(api, manager, product)
    assert len(ledger(api, manager, product_id=product)) == 1 + sum(
        len(answer.json()["movements"]) for answer in result.with_status(201)
    )
