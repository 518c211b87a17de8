"""The RSA signing keys of core/signing_keys.py, where Django's settings put them.

core/security.py calls ``signing_key``, ``verification_key`` and ``access_claims``; the
jwks app ``jwks`` and its deployment check ``key_settings``; ``python -m <package>.keys``
``for_command_line``.
"""

import os
from typing import Any

from django.conf import settings

from . import signing_keys
from .signing_keys import KeySettings


def key_settings() -> KeySettings:
    """What the key store needs from Django's settings."""
    return KeySettings(
        private_key_file=settings.JWT_PRIVATE_KEY_FILE,
        previous_keys_file=settings.JWT_PREVIOUS_KEYS_FILE,
        private_key=settings.JWT_PRIVATE_KEY,
        algorithm=settings.JWT_ALGORITHM,
        token_lifetime=max(settings.ACCESS_TOKEN_LIFETIME, settings.REFRESH_TOKEN_LIFETIME),
    )


def for_command_line() -> KeySettings:
    """The key settings of this process, with Django set up from the project's settings."""
    package = __name__.split(".")[0]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{package}.settings")
    import django

    django.setup()
    return key_settings()


def signing_key() -> tuple[Any, dict[str, str]]:
    """The private key to sign with, and the ``kid`` header naming its public key."""
    return signing_keys.signing_key(key_settings())


def verification_key(header: dict[str, Any]) -> Any:
    """The public key named by the token's ``kid`` (raise KeyError if none is valid)."""
    return signing_keys.verification_key(key_settings(), header)


def access_claims() -> dict[str, Any]:
    """The ``iss`` (JWT_ISSUER) and ``aud`` (JWT_AUDIENCE) of every access token."""
    return signing_keys.access_claims(settings.JWT_ISSUER, settings.JWT_AUDIENCE)


def jwks() -> dict[str, list[dict[str, str]]]:
    """The JSON Web Key Set: the current public key, then retired ones still in use."""
    return signing_keys.jwks(key_settings())
