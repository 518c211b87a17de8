"""Fixtures of the task-api contract."""

import httpx
import pytest

from ..conftest import PASSWORD, Account, sign_in, unique_email


@pytest.fixture(scope="module")
def member(api: httpx.Client) -> Account:
    """One account for a module's checks that never list what they made (validation).

    Signing up hashes a password at full cost on the server: sharing one account
    between such checks keeps the suite quick.
    """
    email = unique_email("member")
    response = api.post("/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return sign_in(api, email, PASSWORD)
