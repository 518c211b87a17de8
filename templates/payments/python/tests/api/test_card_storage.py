"""The card number and the cvc are never stored: no column of any table holds them."""

from typing import Any

import pytest

from tests.payment_stack import stored_rows
from tests.payment_utils import TEST_CARDS, new_key, payment_body


def test_the_card_number_is_never_stored(
    client: Any, user_headers: dict[str, str], request: pytest.FixtureRequest
) -> None:
    for number in TEST_CARDS:
        body = payment_body(card={"number": number, "cvc": "7391"})
        headers = {**user_headers, "Idempotency-Key": new_key()}
        assert client.post("/payments", json=body, headers=headers).status_code == 201
    stored = "\n".join(stored_rows(request))
    assert "4242" in stored  # the last four digits are kept: the rows were read
    for number in TEST_CARDS:
        assert number not in stored
        assert number[:12] not in stored
    assert "'7391'" not in stored  # nor the cvc
