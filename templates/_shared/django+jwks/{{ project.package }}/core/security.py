"""Access tokens of the issuer (auth-service): RS256 JWTs, checked by core/jwks.py.

The service issues no tokens: a token is good when the issuer's key of its ``kid``
verifies it, it names the issuer (``iss``) and this service among its audiences
(``aud``), has not expired, is an access token and names its subject. Passwords (of
the users that create_admin makes) are still hashed with accounts/hashers.py.
"""

from enum import StrEnum
from typing import Any

from django.conf import settings

from . import jwks, keys

#: What every rejected token answers, whatever was wrong with it.
REJECTED = jwks.INVALID


class TokenType(StrEnum):
    """The ``type`` claim: only the issuer's access tokens come here (never its refresh
    tokens, which stay with the issuer)."""

    ACCESS = "access"


def decode_token(token: str, expected: TokenType) -> dict[str, Any]:
    """Return the claims of a valid token of the expected type, or raise ``Unauthorized``.

    ``jwks.IssuerUnavailable`` (a 503) when no key of the issuer can be had.
    """
    return jwks.verify_access_token(
        token, keys.key_set(), issuer=settings.AUTH_ISSUER, audience=settings.AUTH_AUDIENCE
    )
