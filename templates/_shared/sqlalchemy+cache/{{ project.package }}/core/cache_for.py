"""What FastAPI and Flask share of the cache: the cache of the settings, a caller's scope.

The cache itself is core/cache.py's (Django's too).
"""

from .access_tokens import verified_claims
from .cache import CacheSettings, ResponseCache, caller_scope
from .config import Settings


def cache_for(settings: Settings) -> ResponseCache:
    """The cache of ``settings`` (``REDIS_URL`` empty: no cache)."""
    return ResponseCache(
        CacheSettings(
            redis_url=settings.redis_url,
            ttl=settings.cache_ttl_seconds,
            key_prefix=settings.cache_key_prefix,
        )
    )


def scope_of(authorization: str | None, settings: Settings) -> str | None:
    """The caller a read is cached for (core/cache.py's :func:`caller_scope`).

    The token is checked as the routes check it (core/access_tokens.py's
    ``verified_claims``: this service's own tokens, or with the feature jwks the issuer's,
    whose JWKS may be fetched here, so an async caller runs this off its event loop).
    """
    return caller_scope(authorization, lambda token: verified_claims(token, settings))
