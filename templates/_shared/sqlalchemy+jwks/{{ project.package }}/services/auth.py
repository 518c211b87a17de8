"""The user behind an access token of the auth-service (feature "jwks").

This service has no credentials of its own: auth-service signs users in and issues
their tokens; here a token is verified (core/access_tokens.py) and its subject is a
local user.
"""

from sqlalchemy.orm import Session

from ..core.access_tokens import verified_claims
from ..core.config import Settings
from ..models.users import User
from . import subjects


def user_from_access_token(session: Session, token: str, settings: Settings) -> User:
    """Return the active local user of a valid access token, or raise ``Unauthorized``."""
    return subjects.user_for_claims(session, verified_claims(token, settings))
