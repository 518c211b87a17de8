"""The card number and the cvc are never stored: no column of any table holds them."""

from typing import Any

from django.db import connection

from tests.payment_utils import TEST_CARDS, new_key, payment_body


def test_the_card_number_is_never_stored(client: Any, user_headers: dict[str, str]) -> None:
    for number in TEST_CARDS:
        body = payment_body(card={"number": number, "cvc": "7391"})
        headers = {**user_headers, "Idempotency-Key": new_key()}
        assert client.post("/payments", json=body, headers=headers).status_code == 201
    rows: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(str(row) for row in cursor.fetchall())
    stored = "\n".join(rows)
    for number in TEST_CARDS:
        assert number not in stored
        assert number[:12] not in stored
    assert "'7391'" not in stored  # nor the cvc
