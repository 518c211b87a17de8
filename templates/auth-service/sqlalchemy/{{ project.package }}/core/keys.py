"""The RSA signing keys of core/signing_keys.py, where this service's Settings put them.

core/security.py calls ``signing_key``, ``verification_key`` and ``access_claims``; the
JWKS route ``jwks``;
``python -m <package>.keys`` ``for_command_line``.
"""

from datetime import timedelta
from typing import Any

from . import signing_keys
from .config import Settings, get_settings
from .signing_keys import KeySettings


def key_settings(settings: Settings) -> KeySettings:
    """What the key store needs from ``settings``."""
    return KeySettings(
        private_key_file=settings.jwt_private_key_file,
        previous_keys_file=settings.jwt_previous_keys_file,
        private_key=settings.jwt_private_key,
        algorithm=settings.jwt_algorithm,
        token_lifetime=timedelta(
            minutes=max(settings.access_token_expire_minutes, settings.refresh_token_expire_minutes)
        ),
    )


def for_command_line() -> KeySettings:
    """The key settings of this process (the environment, or .env in this folder)."""
    return key_settings(get_settings())


def signing_key(settings: Settings) -> tuple[Any, dict[str, str]]:
    """The private key to sign with, and the ``kid`` header naming its public key."""
    return signing_keys.signing_key(key_settings(settings))


def verification_key(settings: Settings, header: dict[str, Any]) -> Any:
    """The public key named by the token's ``kid`` (raise KeyError if none is valid)."""
    return signing_keys.verification_key(key_settings(settings), header)


def access_claims(settings: Settings) -> dict[str, Any]:
    """The ``iss`` (JWT_ISSUER) and ``aud`` (JWT_AUDIENCE) of every access token."""
    return signing_keys.access_claims(settings.jwt_issuer, settings.jwt_audience.split(","))


def jwks(settings: Settings) -> dict[str, list[dict[str, str]]]:
    """The JSON Web Key Set: the current public key, then retired ones still in use."""
    return signing_keys.jwks(key_settings(settings))
