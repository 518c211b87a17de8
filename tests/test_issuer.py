"""verify's stand-in issuer (toolkit/contracts/issuer.py): its JWKS, its tokens, a rotation."""

import base64
import dataclasses
import json
import urllib.request
from pathlib import Path

import jwt
import pytest

from toolkit import Catalog
from toolkit.contracts.issuer import Issuer, jwk, serve_issuer
from toolkit.errors import UsageError


def fetch(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_token_verifies_with_the_served_jwks_and_names_its_key(tmp_path: Path) -> None:
    with serve_issuer(tmp_path / "keys") as served:
        token = served.issuer.mint("42", "ada@example.com", ["admin"])
        document = fetch(served.jwks_url)
        assert len(document["keys"]) == 1 and served.fetches
        key = jwt.PyJWK(document["keys"][0])
        assert jwt.get_unverified_header(token)["kid"] == document["keys"][0]["kid"]
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience="scaffold-services",
            issuer=served.issuer.issuer,
        )
    assert claims["sub"] == "42" and claims["email"] == "ada@example.com"
    assert claims["roles"] == ["admin"] and claims["type"] == "access"
    assert claims["exp"] - claims["iat"] == 900
    assert served.service_env() == {
        "AUTH_JWKS_URL": served.jwks_url,
        "AUTH_ISSUER": served.issuer.issuer,
        "AUTH_AUDIENCE": "scaffold-services",
    }


def test_a_rotation_adds_a_key_that_signs_and_keeps_the_old_one_published(tmp_path: Path) -> None:
    with serve_issuer(tmp_path / "keys") as served:
        first = served.issuer.mint("1", "a@example.com")
        # Another process (the contract suite) rotates through the folder alone.
        other = Issuer.from_env(served.issuer.env())
        assert other is not None
        kid = other.rotate()
        second = served.issuer.mint("1", "a@example.com")
        kids = [key["kid"] for key in fetch(served.jwks_url)["keys"]]
    assert jwt.get_unverified_header(second)["kid"] == kid == kids[-1]
    assert jwt.get_unverified_header(first)["kid"] == kids[0] != kid


def test_mint_makes_a_token_wrong_in_exactly_one_way(tmp_path: Path) -> None:
    issuer = Issuer(tmp_path, "https://issuer.example")
    issuer.rotate()
    token = issuer.mint("7", "b@example.com", claims={"aud": "other", "sub": None})
    claims = claims_of(token)
    assert claims["aud"] == "other" and "sub" not in claims and claims["iss"] == issuer.issuer
    header = jwt.get_unverified_header(issuer.mint("7", "b@example.com", header={"kid": None}))
    assert header == {"alg": "RS256", "typ": "JWT"}
    kid = jwk(issuer.private_keys()[-1].public_key())["kid"]
    assert len(kid) == 43  # a SHA-256 thumbprint, base64url without padding


def test_jwks_goes_with_every_feature_but_not_on_auth_service(catalog: Catalog) -> None:
    chosen = ["jwks", "queue", "ratelimit", "metrics"]
    spec = catalog.resolve("payments", "pay", framework="fastapi", features=chosen)
    assert set(chosen) <= set(spec.features)
    spec = catalog.resolve("task-api", "tasks", framework="django", features=["jwks", "cache"])
    assert {"jwks", "cache"} <= set(spec.features)
    with pytest.raises(UsageError, match="it is the issuer"):
        catalog.resolve("auth-service", "auth", framework="fastapi", features=["jwks"])


def test_a_feature_may_refuse_another_with_its_reason(catalog: Catalog) -> None:
    """`[features.X.excludes]`: no feature of the catalog refuses another today."""
    jwks = dataclasses.replace(catalog.features["jwks"], excludes={"queue": "not proven"})
    refusing = dataclasses.replace(catalog, features={**catalog.features, "jwks": jwks})
    with pytest.raises(UsageError, match="cannot be chosen with 'queue': not proven"):
        refusing.resolve("payments", "pay", framework="fastapi", features=["jwks", "queue"])
    assert "not with queue" in jwks.notes()
