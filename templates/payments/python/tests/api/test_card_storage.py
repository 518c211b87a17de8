"""The card number and the cvc are never stored: no column of any table holds them."""

from typing import Any

from sqlalchemy import inspect, text

from tests.payment_utils import TEST_CARDS, new_key, payment_body


def test_the_card_number_is_never_stored(
    client: Any, user_headers: dict[str, str], db: Any
) -> None:
    for number in TEST_CARDS:
        body = payment_body(card={"number": number, "cvc": "7391"})
        headers = {**user_headers, "Idempotency-Key": new_key()}
        assert client.post("/payments", json=body, headers=headers).status_code == 201
    with db.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        rows = [
            str(row)
            for table in tables
            for row in connection.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        ]
    stored = "\n".join(rows)
    for number in TEST_CARDS:
        assert number not in stored
        assert number[:12] not in stored
    assert "'7391'" not in stored  # nor the cvc
