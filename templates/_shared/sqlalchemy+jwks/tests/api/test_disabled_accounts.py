"""A disabled account is refused whatever token the issuer gives it; enabled, it works again.

(Here the issuer ends sessions: its access tokens are short-lived, and the token epoch is
its own business. Disabling is this service's say over its own users.)
"""

from typing import Any

from tests.issuer import Issuer
from tests.utils import bearer, unique_email


def test_a_disabled_account_answers_as_today(
    client: Any, issuer: Issuer, admin_headers: Any
) -> None:
    subject, email = issuer.new_subject(), unique_email()
    token = bearer(issuer.mint(subject, email=email))
    user_id = client.get("/users/me", headers=token).json()["id"]
    states = []
    for active in (False, True):
        response = client.patch(
            f"/users/{user_id}", json={"is_active": active}, headers=admin_headers
        )
        assert response.status_code == 200
        fresh = bearer(issuer.mint(subject, email=email))
        old_one = client.get("/users/me", headers=token).status_code
        states.append((old_one, client.get("/users/me", headers=fresh).status_code))
    assert states == [(401, 401), (200, 200)]


def test_changing_a_role_keeps_the_token_working(
    client: Any, issuer: Issuer, admin_headers: Any
) -> None:
    token = bearer(issuer.mint(issuer.new_subject(), email=unique_email()))
    user_id = client.get("/users/me", headers=token).json()["id"]
    response = client.patch(f"/users/{user_id}", json={"role": "admin"}, headers=admin_headers)
    assert response.status_code == 200
    assert client.get("/users/me", headers=token).json()["role"] == "admin"
