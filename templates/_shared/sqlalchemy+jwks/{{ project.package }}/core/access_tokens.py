"""Who holds an access token: the claims of a valid one of the issuer (core/jwks.py).

The service issues no token (feature jwks): an access token is auth-service's, checked
with its JWKS. What reads a token to know its account, the users' routes
(services/auth.py) as the rate limits (core/rate_limiter.py), asks here.
"""

from typing import Any

from . import jwks
from .config import Settings


def verified_claims(token: str, settings: Settings) -> dict[str, Any]:
    """The claims of a valid access token of the issuer (its ``sub`` is the account).

    Raises ``Unauthorized``, or ``jwks.IssuerUnavailable`` when no key of the issuer can
    be had.
    """
    keys = jwks.key_set(settings.auth_jwks_url, settings.auth_jwks_cache_seconds)
    return jwks.verify_access_token(
        token, keys, issuer=settings.auth_issuer, audience=settings.auth_audience
    )
