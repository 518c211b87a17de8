"""Access tokens say who issued them, for whom, and who the user is; refresh tokens do not.

Services that trust this one's tokens read ``iss``, ``aud``, ``email`` and ``roles``;
this service too refuses its own tokens with another issuer or audience.
"""

from typing import Any

import jwt
import pytest

from tests.settings_overrides import AUDIENCE, ISSUER, ephemeral_private_key
from tests.utils import bearer, login, register, unique_email

IDENTITY = {"iss", "aud", "email", "roles"}


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def signed_in(client: Any) -> tuple[str, dict[str, Any]]:
    email = unique_email()
    register(client, email)
    return email, login(client, email)


def resigned(token: str, **changes: Any) -> str:
    """``token`` with some claims changed (None: removed), signed with the service's key."""
    claims = {**claims_of(token), **changes}
    kept = {name: value for name, value in claims.items() if value is not None}
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.encode(kept, ephemeral_private_key(), algorithm="RS256", headers={"kid": kid})


def test_an_access_token_names_its_issuer_audience_and_user(
    client: Any, admin_headers: dict[str, str]
) -> None:
    email, tokens = signed_in(client)
    access = claims_of(tokens["access_token"])
    assert (access["iss"], access["aud"]) == (ISSUER, AUDIENCE)
    assert (access["email"], access["roles"]) == (email, ["user"])
    assert not IDENTITY & set(claims_of(tokens["refresh_token"]))
    admin = claims_of(admin_headers["Authorization"].removeprefix("Bearer "))
    assert admin["roles"] == ["admin"]


def test_the_roles_are_the_accounts_when_the_token_is_issued(
    client: Any, admin_headers: dict[str, str]
) -> None:
    email, tokens = signed_in(client)
    me = client.get("/users/me", headers=bearer(tokens["access_token"])).json()
    promoted = client.patch(f"/users/{me['id']}", json={"role": "admin"}, headers=admin_headers)
    assert promoted.status_code == 200
    response = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    assert claims_of(response.json()["access_token"])["roles"] == ["admin"]
    assert claims_of(login(client, email)["access_token"])["roles"] == ["admin"]


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://another-issuer.example.com"},
        {"iss": None},
        {"aud": "another-service"},
        {"aud": ["another-service", "a-third-one"]},
        {"aud": None},
    ],
    ids=["other-iss", "no-iss", "other-aud", "other-auds", "no-aud"],
)
def test_an_access_token_of_another_issuer_or_audience_is_refused(
    client: Any, changes: dict[str, Any]
) -> None:
    _, tokens = signed_in(client)
    response = client.get("/users/me", headers=bearer(resigned(tokens["access_token"], **changes)))
    assert response.status_code == 401, response.text
    assert response.json()["detail"]
    assert client.get("/users/me", headers=bearer(tokens["access_token"])).status_code == 200


def test_an_access_token_for_several_audiences_is_accepted_when_one_is_this(client: Any) -> None:
    _, tokens = signed_in(client)
    token = resigned(tokens["access_token"], aud=["another-service", AUDIENCE])
    assert client.get("/users/me", headers=bearer(token)).status_code == 200
