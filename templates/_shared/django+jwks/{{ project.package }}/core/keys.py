"""The keys that verify tokens: the issuer's public keys (its JWKS, core/jwks.py).

The service signs no token: its users' tokens come from the issuer (auth-service), and
core/security.py checks them with the key set of the settings.
"""

from django.conf import settings

from . import jwks


def key_set() -> jwks.KeySet:
    """The issuer's keys of the settings, one set per process (its cache is shared)."""
    return jwks.key_set(settings.AUTH_JWKS_URL, settings.AUTH_JWKS_CACHE_SECONDS)
