"""Access tokens of the issuer (auth-service): RS256 JWTs, checked with core/keys.py.

The service issues no tokens: a token is good when the issuer's key of its ``kid``
verifies it, it names the issuer (``iss``) and this service among its audiences
(``aud``), has not expired, is an access token and names its subject. Passwords (of
the users that create_admin makes) are still hashed with accounts/hashers.py.
"""

from enum import StrEnum
from typing import Any

import jwt
from django.conf import settings

from . import keys
from .errors import Unauthorized
from .jwks import ALGORITHM

REQUIRED_CLAIMS = ["exp", "iat", "sub", "type", "iss", "aud"]
#: What every rejected token answers, whatever was wrong with it.
REJECTED = "Invalid or expired token"
#: How far the issuer's clock may be ahead of or behind this one.
LEEWAY_SECONDS = 30


class TokenType(StrEnum):
    """The ``type`` claim: only the issuer's access tokens come here (never its refresh
    tokens, which stay with the issuer)."""

    ACCESS = "access"


def decode_token(token: str, expected: TokenType) -> dict[str, Any]:
    """Return the claims of a valid token of the expected type, or raise ``Unauthorized``.

    ``keys.IssuerUnavailable`` (a 503) when the token's key cannot be had.
    """
    try:
        key = keys.verification_key(jwt.get_unverified_header(token))
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=settings.AUTH_ISSUER,
            audience=settings.AUTH_AUDIENCE,
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except (jwt.PyJWTError, KeyError):
        raise Unauthorized(REJECTED) from None
    subject = claims.get("sub")
    if claims.get("type") != expected.value or not isinstance(subject, str) or not subject:
        raise Unauthorized(REJECTED)
    return claims
