"""Integers in query strings are ASCII digits; an id in a path is ASCII digits or a 404.

The rule of every framework: ``?limit=1.0``, ``+1`` or ``1_0`` are 422s naming the
parameter, and ``/users/7.0``, ``/users/+7`` or ``/users/%207`` name no user even
when user 7 exists. (A body's integers are checked where a kind has them.)
"""

from typing import Any
from urllib.parse import quote

import pytest

NOT_PLAIN = ["1.0", "1.5", "%2B1", "1e1", "0x1", "1_0", "true", quote("\uff11"), "9" * 30]


@pytest.mark.parametrize("value", NOT_PLAIN)
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_query_integers_take_plain_digits_only(
    client: Any, admin_headers: dict[str, str], name: str, value: str
) -> None:
    response = client.get(f"/users?{name}={value}", headers=admin_headers)
    assert response.status_code == 422, response.text
    assert name in {error["field"] for error in response.json()["errors"]}


def test_a_path_id_is_plain_digits_or_names_nothing(
    client: Any, admin_headers: dict[str, str]
) -> None:
    me = client.get("/users/me", headers=admin_headers).json()["id"]
    assert client.get(f"/users/{me}", headers=admin_headers).status_code == 200
    fullwidth = quote("".join(chr(0xFF10 + int(digit)) for digit in str(me)))
    for spelling in [f"{me}.0", f"%2B{me}", f"%20{me}", f"{me}e0", fullwidth, str(2**31)]:
        response = client.get(f"/users/{spelling}", headers=admin_headers)
        assert response.status_code == 404, (spelling, response.text)
        assert response.json()["detail"]
