"""What FastAPI and Flask share of the rate limits: the limiter of the settings, the account.

The limits themselves are core/ratelimit.py's (Django's too); this reads them from the
settings of the SQLAlchemy stacks and names the account of a request: the subject of a
verified access token (core/access_tokens.py: the service's own, or with the feature
jwks the issuer's), never of a token whose signature does not hold, so a forged token
cannot spend another account's requests.
"""

from .access_tokens import verified_claims
from .config import Settings
from .errors import AppError
from .ratelimit import Limits, RateLimiter, bearer_token


def limiter_for(settings: Settings) -> RateLimiter:
    """The limiter of ``settings`` (``REDIS_URL`` empty: no limits)."""
    return RateLimiter(
        Limits(
            redis_url=settings.redis_url,
            per_client=settings.rate_limit_per_minute,
            per_account=settings.rate_limit_account_per_minute,
            trusted_proxies=settings.forwarded_allow_ips,
            key_prefix=settings.rate_limit_key_prefix,
        )
    )


def account_of(authorization: str | None, settings: Settings) -> str | None:
    """The subject of a valid access token in an Authorization header, else None.

    It may fetch the issuer's keys (the feature jwks): call it off an event loop.
    """
    token = bearer_token(authorization)
    if token is None:
        return None
    try:
        return str(verified_claims(token, settings)["sub"])
    except AppError:
        return None  # the route answers 401 (503: no key of the issuer) where it needs a user
