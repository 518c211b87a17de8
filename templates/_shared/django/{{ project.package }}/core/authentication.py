"""DRF authentication by ``Authorization: Bearer <access token>``."""

from typing import Any

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from ..accounts import tokens
from ..accounts.models import User
from .errors import Unauthorized
from .security import TokenType, decode_token


class BearerAuthentication(BaseAuthentication):
    """The user of a valid access token; no header (or another scheme) is anonymous.

    An invalid token is a 401 with ``WWW-Authenticate: Bearer``; so is a missing one
    on a view that needs a user (DRF takes the challenge from ``authenticate_header``).
    """

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, dict[str, Any]] | None:
        """Return (user, claims), None without a bearer token, or raise a 401."""
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        try:
            if len(parts) != 2:
                raise Unauthorized("Invalid authorization header")
            claims = decode_token(parts[1].decode("latin-1"), TokenType.ACCESS)
            return tokens.user_for_claims(claims), claims
        except Unauthorized as exc:
            raise AuthenticationFailed(exc.detail) from None

    def authenticate_header(self, request: Request) -> str:
        """The challenge of a 401."""
        return "Bearer"


def signed_in(request: Request) -> User:
    """The user of a request that only signed-in users reach (their permission says so)."""
    user = request.user
    if not isinstance(user, User):
        raise Unauthorized()
    return user


def viewer(request: Request) -> User | None:
    """The signed-in user of a request, or None for an anonymous one."""
    user = request.user
    return user if isinstance(user, User) else None
