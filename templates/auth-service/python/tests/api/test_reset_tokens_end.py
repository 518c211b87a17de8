"""Reset tokens already mailed stop working when every session ends."""

import re
from typing import Any

from tests.utils import PASSWORD, bearer, login, register, unique_email


def mailed_reset_token(client: Any, admin_headers: Any, email: str) -> str:
    """Ask for a reset and read the token of the newest message to ``email`` (as an admin)."""
    assert client.post("/auth/password-reset", json={"email": email}).status_code == 202
    page = client.get("/admin/outbox", params={"recipient": email}, headers=admin_headers)
    found = re.search(r"Reset token: (\S+)", page.json()["items"][0]["body"])
    assert found
    return found[1]


def confirm(client: Any, token: str) -> Any:
    payload = {"token": token, "new_password": "a-brand-new-password"}
    return client.post("/auth/password-reset/confirm", json=payload)


def test_a_password_change_voids_the_reset_tokens_already_mailed(
    client: Any, admin_headers: Any
) -> None:
    email = unique_email()
    register(client, email)
    token = mailed_reset_token(client, admin_headers, email)
    headers = bearer(login(client, email)["access_token"])
    change = {"current_password": PASSWORD, "new_password": "changed-password-1"}
    assert client.post("/auth/password", json=change, headers=headers).status_code == 204
    refused = confirm(client, token)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["token"]
    assert login(client, email, "changed-password-1")["access_token"]


def test_disabling_an_account_voids_its_reset_tokens_for_good(
    client: Any, admin_headers: Any
) -> None:
    email = unique_email()
    user_id = register(client, email)["id"]
    token = mailed_reset_token(client, admin_headers, email)
    for active in (False, True):
        response = client.patch(
            f"/users/{user_id}", json={"is_active": active}, headers=admin_headers
        )
        assert response.status_code == 200
    assert confirm(client, token).status_code == 422
    assert login(client, email)["access_token"]


def test_logging_out_everywhere_voids_the_reset_tokens_already_mailed(
    client: Any, admin_headers: Any
) -> None:
    email = unique_email()
    register(client, email)
    token = mailed_reset_token(client, admin_headers, email)
    headers = bearer(login(client, email)["access_token"])
    assert client.post("/auth/logout", json={}, headers=headers).status_code == 204
    assert confirm(client, token).status_code == 422
