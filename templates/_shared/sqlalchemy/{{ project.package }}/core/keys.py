"""The keys that sign and verify tokens: here one shared secret (HMAC, HS256 by default).

A service whose tokens others must verify swaps this module for one with an
asymmetric key pair and a JWKS document; core/security.py only calls these three.
"""

from typing import Any

from .config import Settings


def signing_key(settings: Settings) -> tuple[Any, dict[str, str]]:
    """Return the key to sign with, and extra JWT headers (none for a shared secret)."""
    return settings.secret_key, {}


def verification_key(settings: Settings, header: dict[str, Any]) -> Any:
    """Return the key that verifies a token with this header (raise KeyError if none)."""
    return settings.secret_key


def access_claims(settings: Settings) -> dict[str, Any]:
    """Return the ``iss`` and ``aud`` every access token carries and must carry (none here)."""
    return {}
