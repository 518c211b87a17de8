"""A token whose subject names no possible user is a 401, never a 500.

Such tokens need the signing key, so they come from the service's own signer: a
subject past 64 bits once overflowed the database driver (a 500) instead of naming
no one.
"""

from collections.abc import Callable
from typing import Any

import pytest

OUT_OF_RANGE = [str(2**80), str(2**63), str(2**31), "0", "-1", "1.0", " 1", "1e3", "abc", ""]


@pytest.mark.parametrize("subject", OUT_OF_RANGE)
def test_a_subject_out_of_the_ids_range_is_401(
    client: Any, user_headers: dict[str, str], sign_access_token: Callable[..., str], subject: str
) -> None:
    token = sign_access_token(subject, sid="session-of-no-one")
    response = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.json()["detail"]
