"""Who holds an access token: the claims of a valid one (the service's own, core/security.py).

What reads a token to know its account, the users' routes (services/auth.py), the rate
limits (core/rate_limiter.py) and the cache's caller (core/cache_for.py), asks here. A
service that trusts another issuer's tokens (the feature jwks) replaces this module with
one that checks those.
"""

from typing import Any

from .config import Settings
from .security import TokenType, decode_token


def verified_claims(token: str, settings: Settings) -> dict[str, Any]:
    """The claims of a valid access token (``sub``: the account), or raise ``Unauthorized``."""
    return decode_token(token, TokenType.ACCESS, settings)
