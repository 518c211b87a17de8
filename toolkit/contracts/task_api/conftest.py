"""Fixtures of the task-api contract."""

import httpx
import pytest

from ..conftest import Account, register


@pytest.fixture(scope="module")
def member(api: httpx.Client) -> Account:
    """One account for a module's checks that never list what they made (validation).

    Signing up hashes a password at full cost on the server: sharing one account
    between such checks keeps the suite quick.
    """
    return register(api, "member")
