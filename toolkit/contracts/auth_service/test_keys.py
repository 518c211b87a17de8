"""RS256: the JWKS publishes the public keys, every token names its key and verifies."""

import hashlib
import hmac
import json
import time

import httpx
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ..conftest import Account, assert_error
from ..issuer import b64url
from .tokens import audiences, bearer, header_and_claims, public_key, verifies_rs256

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def jwks(api: httpx.Client) -> dict[str, dict[str, str]]:
    """The published keys, by kid."""
    response = api.get("/.well-known/jwks.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    keys = response.json()["keys"]
    by_kid = {key["kid"]: key for key in keys}
    assert len(by_kid) == len(keys), "two keys share a kid"
    return by_kid


def test_the_jwks_publishes_public_rsa_signing_keys(api: httpx.Client) -> None:
    keys = jwks(api)
    assert keys
    for key in keys.values():
        assert {"kty", "n", "e", "kid", "alg", "use"} <= set(key), key
        assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
        assert not PRIVATE_MEMBERS & set(key), "a private key member is published"
        assert public_key(key).key_size >= 2048


def test_every_token_names_a_published_key_that_verifies_it(
    api: httpx.Client, user: Account
) -> None:
    keys = jwks(api)
    for token, kind in [(user.access_token, "access"), (user.refresh_token, "refresh")]:
        header, claims = header_and_claims(token)
        assert header["alg"] == "RS256"
        assert header["kid"] in keys, "the token's kid is not in the JWKS"
        assert verifies_rs256(token, keys[header["kid"]])
        assert claims["type"] == kind
        assert claims["exp"] > time.time()
        assert {"sub", "iat", "jti"} <= set(claims)
    tampered = user.access_token[:-4] + ("AAAA" if user.access_token[-4:] != "AAAA" else "BBBB")
    assert not verifies_rs256(tampered, keys[header["kid"]])


def test_an_hmac_token_keyed_with_the_public_key_is_refused(
    api: httpx.Client, user: Account
) -> None:
    # Algorithm confusion: HS256 "signed" with the published key must not pass.
    header, claims = header_and_claims(user.access_token)
    pem = public_key(jwks(api)[header["kid"]]).public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )
    forged_header = b64url(json.dumps({**header, "alg": "HS256"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(pem, f"{forged_header}.{payload}".encode(), hashlib.sha256).digest()
    token = f"{forged_header}.{payload}.{b64url(signature)}"
    assert_error(api.get("/users/me", headers=bearer(token)), 401)


def identity(account: Account) -> tuple[str, list[str], str, list[str]]:
    """The iss, audiences, email and roles that an access token of ``account`` names."""
    _, claims = header_and_claims(account.access_token)
    iss, aud = claims.get("iss"), audiences(claims)
    email, roles = claims.get("email"), claims.get("roles")
    assert isinstance(iss, str) and iss, f"iss: {iss!r}"
    assert aud and all(isinstance(value, str) and value for value in aud), f"aud: {claims}"
    assert isinstance(email, str), f"email: {email!r}"
    assert isinstance(roles, list) and all(isinstance(role, str) for role in roles), roles
    return iss, aud, email, roles


def test_an_access_token_names_its_issuer_audience_email_and_roles(
    user: Account, other: Account
) -> None:
    # What a service that trusts these tokens (feature "jwks") reads. Refresh tokens
    # stay with this service: they need none of it.
    iss, aud, email, roles = identity(user)
    assert email == user.email
    assert "user" in roles and "admin" not in roles, roles
    assert identity(other)[:2] == (iss, aud), "two accounts' tokens name other issuers"


def test_an_admins_access_token_names_the_admin_role(user: Account, admin: Account) -> None:
    iss, aud, email, roles = identity(admin)
    assert email == admin.email.lower()  # stored as the service normalizes it
    assert "admin" in roles, roles
    assert identity(user)[:2] == (iss, aud), "an admin's token names another issuer"
