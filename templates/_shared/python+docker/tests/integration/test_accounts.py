"""Accounts through nginx: a user signs up and in on the running stack (`pytest -m docker`)."""

import uuid

import pytest

from tests.integration.stack import call

pytestmark = pytest.mark.docker


def test_a_user_signs_up_and_signs_in_through_nginx(base_url: str) -> None:
    email, password = f"it-{uuid.uuid4().hex[:8]}@example.com", "integration-password"
    status, _ = call(base_url, "POST", "/auth/register", {"email": email, "password": password})
    assert status == 201
    status, tokens = call(base_url, "POST", "/auth/login", {"email": email, "password": password})
    assert status == 200
    assert tokens["token_type"] == "bearer"
    status, error = call(base_url, "POST", "/auth/login", {"email": email, "password": "wrong-1"})
    assert status == 401
    assert "detail" in error
