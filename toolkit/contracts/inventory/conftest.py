"""Fixtures of the inventory contract: one manager per module (signing up is slow by design)."""

import httpx
import pytest

from ..conftest import Account, register, with_role


@pytest.fixture(scope="module")
def manager(api: httpx.Client, admin: Account) -> Account:
    """A user an admin made a manager: records movements, cannot change the catalog."""
    return with_role(api, admin, register(api, "manager"), "manager")
