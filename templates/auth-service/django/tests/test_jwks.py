"""RS256 tokens: the JWKS publishes the public key, and only tokens it verifies pass."""

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from tests.settings_overrides import AUDIENCE, ISSUER
from tests.utils import bearer, login, register, unique_email

KEY_MEMBERS = {"kty", "use", "alg", "kid", "n", "e"}


def signed_in(client: Any) -> tuple[str, dict[str, str]]:
    email = unique_email()
    register(client, email)
    return email, login(client, email)


def test_the_jwks_publishes_one_public_signing_key(client: Any) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"]
    [key] = response.json()["keys"]
    assert set(key) == KEY_MEMBERS
    assert (key["kty"], key["alg"], key["use"], key["e"]) == ("RSA", "RS256", "sig", "AQAB")


def test_every_token_names_its_key_and_verifies_with_the_jwks(client: Any) -> None:
    email, tokens = signed_in(client)
    [key] = client.get("/.well-known/jwks.json").json()["keys"]
    public_key = jwt.PyJWK(key).key
    # Only the access token names an issuer and an audience (tests/api/test_access_claims.py).
    expected: list[tuple[str, dict[str, Any]]] = [
        (tokens["access_token"], {"issuer": ISSUER, "audience": AUDIENCE}),
        (tokens["refresh_token"], {}),
    ]
    for token, claims_checked in expected:
        header = jwt.get_unverified_header(token)
        assert header["alg"] == "RS256" and header["kid"] == key["kid"]
        claims = jwt.decode(token, public_key, algorithms=["RS256"], **claims_checked)
        assert {"sub", "sid", "type", "iat", "exp", "jti"} <= set(claims)
    me = client.get("/users/me", headers=bearer(tokens["access_token"])).json()
    assert me["email"] == email


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(claims: dict[str, Any], kid: str, secret: bytes) -> str:
    """A token signed with HMAC, as an algorithm-confusion attack would make it."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def test_tokens_not_signed_by_the_key_are_refused(client: Any) -> None:
    _, tokens = signed_in(client)
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    kid = jwt.get_unverified_header(tokens["access_token"])["kid"]
    [jwk] = client.get("/.well-known/jwks.json").json()["keys"]
    public_pem = jwt.PyJWK(jwk).key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    own_key = settings.JWT_PRIVATE_KEY
    assert own_key
    for token in [
        jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid}),
        _hs256(claims, kid, settings.SECRET_KEY.encode()),
        _hs256(claims, kid, public_pem),
        jwt.encode(claims, own_key, algorithm="RS256", headers={"kid": "another-key"}),
        jwt.encode(claims, own_key, algorithm="RS256"),
        jwt.encode({**claims, "sid": "no-such-session"}, own_key, "RS256", {"kid": kid}),
        jwt.encode({**claims, "type": "refresh"}, own_key, "RS256", {"kid": kid}),
    ]:
        assert client.get("/users/me", headers=bearer(token)).status_code == 401, token
    assert client.get("/users/me", headers=bearer(tokens["access_token"])).status_code == 200
