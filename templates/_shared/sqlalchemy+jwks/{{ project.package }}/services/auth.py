"""The user behind an access token of the auth-service (feature "jwks").

This service has no credentials of its own: auth-service signs users in and issues
their tokens; here a token is verified (core/jwks.py) and its subject is a local user.
"""

from typing import Any

from sqlalchemy.orm import Session

from ..core import jwks
from ..core.config import Settings
from ..models.users import User
from . import subjects


def access_claims(token: str, settings: Settings) -> dict[str, Any]:
    """The claims of a valid access token of the issuer, or raise ``Unauthorized``
    (``IssuerUnavailable`` when none of its keys can be had)."""
    keys = jwks.key_set(settings.auth_jwks_url, settings.auth_jwks_cache_seconds)
    return jwks.verify_access_token(
        token, keys, issuer=settings.auth_issuer, audience=settings.auth_audience
    )


def user_from_access_token(session: Session, token: str, settings: Settings) -> User:
    """Return the active local user of a valid access token, or raise ``Unauthorized``."""
    return subjects.user_for_claims(session, access_claims(token, settings))
