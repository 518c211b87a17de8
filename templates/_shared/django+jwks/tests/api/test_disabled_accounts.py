"""The admin API's changes to a user of the issuer: its tokens keep working with a new role."""

from typing import Any


def test_a_new_role_applies_to_the_tokens_already_issued(
    client: Any, admin_headers: dict[str, str], user_headers: dict[str, str]
) -> None:
    user_id = client.get("/users/me", headers=user_headers).json()["id"]
    response = client.patch(f"/users/{user_id}", json={"role": "admin"}, headers=admin_headers)
    assert response.status_code == 200
    again = client.get("/users/me", headers=user_headers)
    assert again.status_code == 200 and again.json()["role"] == "admin"
    assert client.get("/users", headers=user_headers).status_code == 200
