"""The keys that verify tokens: the issuer's public keys (its JWKS, core/jwks.py).

The service signs no token: its users' tokens come from the issuer (auth-service), and
core/security.py asks here for the key that a token's header names.
"""

from functools import cache
from typing import Any

from django.conf import settings

from . import jwks
from .errors import AppError


class IssuerUnavailable(AppError):
    """A token names a key the service does not have, and the issuer cannot be asked."""

    status_code = 503
    detail = "Service unavailable: the token issuer's keys cannot be fetched"


@cache
def _key_set(url: str, cache_seconds: int) -> jwks.KeySet:
    return jwks.KeySet(url, cache_seconds)


def key_set() -> jwks.KeySet:
    """The issuer's keys of the settings, one set per process (its cache is shared)."""
    return _key_set(settings.AUTH_JWKS_URL, settings.AUTH_JWKS_CACHE_SECONDS)


def verification_key(header: dict[str, Any]) -> Any:
    """The issuer's key for a token with this header (raise KeyError if there is none).

    Only RS256 headers that name their key (``kid``) have one.
    """
    kid = header.get("kid")
    if header.get("alg") != jwks.ALGORITHM or not isinstance(kid, str) or not kid:
        raise KeyError(kid)
    try:
        return key_set().key(kid)
    except jwks.IssuerUnavailable as exc:
        raise IssuerUnavailable() from exc
