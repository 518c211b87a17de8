"""Password hashing (argon2id) and JSON Web Tokens (PyJWT; the keys come from core/keys.py)."""

import uuid
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import keys
from .config import Settings
from .errors import Unauthorized

REQUIRED_CLAIMS = ["exp", "iat", "sub", "type"]
#: The claim that holds the user's token epoch when the token was issued.
EPOCH_CLAIM = "epoch"


class TokenType(StrEnum):
    """The ``type`` claim: a refresh token is never accepted as an access token."""

    ACCESS = "access"
    REFRESH = "refresh"


@lru_cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _cost(settings: Settings) -> tuple[int, int, int]:
    return (
        settings.password_hash_time_cost,
        settings.password_hash_memory_kib,
        settings.password_hash_parallelism,
    )


def password_hasher(settings: Settings) -> PasswordHasher:
    """Return the argon2id hasher configured by the settings."""
    return _hasher(*_cost(settings))


def hash_password(password: str, settings: Settings) -> str:
    """Hash a password with a fresh salt."""
    return password_hasher(settings).hash(password)


def verify_password(password: str, password_hash: str, settings: Settings) -> bool:
    """Tell whether ``password`` matches ``password_hash``."""
    try:
        return password_hasher(settings).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_password_check(password: str, settings: Settings) -> None:
    """Spend the time of one verification, so unknown emails answer as slowly as known ones."""
    verify_password(password, _dummy_hash(*_cost(settings)), settings)


@lru_cache
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("not-a-real-password")


def create_token(
    subject: str,
    token_type: TokenType,
    settings: Settings,
    *,
    claims: dict[str, Any] | None = None,
) -> str:
    """Sign a token for ``subject`` (a user id), with extra ``claims`` if given.

    Every token has ``exp``, ``iat``, ``sub``, ``type`` and a unique ``jti``; an access
    token also the ``iss`` and ``aud`` of core/keys.py, if it names any.
    """
    access = token_type is TokenType.ACCESS
    minutes = (
        settings.access_token_expire_minutes if access else settings.refresh_token_expire_minutes
    )
    now = datetime.now(UTC)
    payload = {
        **(claims or {}),
        **(keys.access_claims(settings) if access else {}),
        "sub": subject,
        "type": token_type.value,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "jti": uuid.uuid4().hex,
    }
    key, headers = keys.signing_key(settings)
    return jwt.encode(payload, key, algorithm=settings.jwt_algorithm, headers=headers or None)


def decode_token(token: str, expected: TokenType, settings: Settings) -> dict[str, Any]:
    """Return the claims of a valid token of the expected type, or raise ``Unauthorized``.

    Only the configured algorithm is accepted, so "alg": "none" and algorithm
    confusion fail, as do a wrong signature, expiry and a missing claim. An access
    token must carry the ``iss`` of core/keys.py and one of its audiences, if it names any.
    """
    expected_claims = keys.access_claims(settings) if expected is TokenType.ACCESS else {}
    try:
        key = keys.verification_key(settings, jwt.get_unverified_header(token))
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[settings.jwt_algorithm],
            issuer=expected_claims.get("iss"),
            audience=expected_claims.get("aud"),
            options={"require": [*REQUIRED_CLAIMS, *expected_claims]},
        )
    except (jwt.PyJWTError, KeyError):
        raise Unauthorized("Invalid or expired token") from None
    if claims.get("type") != expected.value:
        raise Unauthorized("Invalid or expired token")
    return claims


def in_epoch(claims: dict[str, Any], token_epoch: int) -> bool:
    """Whether a token was issued in the user's current token epoch (no epoch: no)."""
    epoch = claims.get(EPOCH_CLAIM)
    return type(epoch) is int and epoch == token_epoch
