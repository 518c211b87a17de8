"""A merchant shared by the tests of a module that only read or get refused.

Registering an account costs a production password hash; tests that count what a
user has still take a fresh ``user``.
"""

import httpx
import pytest

from ..conftest import Account, register


@pytest.fixture(scope="module")
def merchant(api: httpx.Client) -> Account:
    return register(api, "merchant")
