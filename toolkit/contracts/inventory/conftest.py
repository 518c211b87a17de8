"""Fixtures of the inventory contract: one manager per module (signing up is slow by design)."""

import httpx
import pytest

from ..conftest import PASSWORD, Account, sign_in, unique_email, with_role


@pytest.fixture(scope="module")
def manager(api: httpx.Client, admin: Account) -> Account:
    """A user an admin made a manager: records movements, cannot change the catalog."""
    email = unique_email("manager")
    response = api.post("/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return with_role(api, admin, sign_in(api, email, PASSWORD), "manager")
