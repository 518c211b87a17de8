"""JSON Web Tokens (PyJWT): signed with the keys of core/keys.py, typed access or refresh.

Passwords are hashed by Django with the argon2id hasher of accounts/hashers.py.
"""

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import jwt
from django.conf import settings

from . import keys
from .errors import Unauthorized

REQUIRED_CLAIMS = ["exp", "iat", "sub", "type"]
#: The claim that holds the user's token epoch when the token was issued.
EPOCH_CLAIM = "epoch"
#: What every rejected token answers, whatever was wrong with it.
REJECTED = "Invalid or expired token"


class TokenType(StrEnum):
    """The ``type`` claim: a refresh token is never accepted as an access token."""

    ACCESS = "access"
    REFRESH = "refresh"


def create_token(
    subject: str, token_type: TokenType, *, claims: dict[str, Any] | None = None
) -> str:
    """Sign a token for ``subject`` (a user id), with extra ``claims`` if given.

    Every token has ``exp``, ``iat``, ``sub``, ``type`` and a unique ``jti``; an access
    token also the ``iss`` and ``aud`` of core/keys.py, if it names any.
    """
    access = token_type is TokenType.ACCESS
    lifetime = settings.ACCESS_TOKEN_LIFETIME if access else settings.REFRESH_TOKEN_LIFETIME
    now = datetime.now(UTC)
    payload = {
        **(claims or {}),
        **(keys.access_claims() if access else {}),
        "sub": subject,
        "type": token_type.value,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    key, headers = keys.signing_key()
    return jwt.encode(payload, key, algorithm=settings.JWT_ALGORITHM, headers=headers or None)


def decode_token(token: str, expected: TokenType) -> dict[str, Any]:
    """Return the claims of a valid token of the expected type, or raise ``Unauthorized``.

    Only the configured algorithm is accepted, so "alg": "none" and algorithm
    confusion fail, as do a wrong signature, expiry and a missing claim. An access
    token must carry the ``iss`` of core/keys.py and one of its audiences, if it names any.
    """
    expected_claims = keys.access_claims() if expected is TokenType.ACCESS else {}
    try:
        key = keys.verification_key(jwt.get_unverified_header(token))
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[settings.JWT_ALGORITHM],
            issuer=expected_claims.get("iss"),
            audience=expected_claims.get("aud"),
            options={"require": [*REQUIRED_CLAIMS, *expected_claims]},
        )
    except (jwt.PyJWTError, KeyError):
        raise Unauthorized(REJECTED) from None
    if claims.get("type") != expected.value:
        raise Unauthorized(REJECTED)
    return claims


def in_epoch(claims: dict[str, Any], token_epoch: int) -> bool:
    """Whether a token was issued in the user's current token epoch (no epoch: no)."""
    epoch = claims.get(EPOCH_CLAIM)
    return type(epoch) is int and epoch == token_epoch
