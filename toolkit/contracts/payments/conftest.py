"""A merchant shared by the tests of a module that only read or get refused.

Registering an account costs a production password hash; tests that count what a
user has still take a fresh ``user``.
"""

import httpx
import pytest

from ..conftest import PASSWORD, Account, sign_in, unique_email


@pytest.fixture(scope="module")
def merchant(api: httpx.Client) -> Account:
    email = unique_email("merchant")
    response = api.post("/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return sign_in(api, email, PASSWORD)
