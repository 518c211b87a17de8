"""Token pairs: a short-lived access token, and a refresh token stored and rotated.

Each login starts a session: a family of refresh tokens sharing one id, which every
token of the session carries as its ``sid`` claim. A refresh token works once, and is
stored only as a keyed digest. Using it again means it was copied: the whole family
is revoked, so the thief's and the owner's newest tokens both stop working. An access
token is accepted only while its session is alive, so a logout, a password change or
a detected reuse ends it at once, not when it expires.

A session is over once any of its tokens is revoked: a token that a racing rotation
adds after the revocation belongs to a dead session too.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..accounts.models import User
from ..core.crypto import digest
from ..core.errors import Unauthorized
from ..core.security import REJECTED, TokenType, create_token, decode_token
from ..core.serializers import is_valid_id
from .models import RefreshToken


def _digest(token: str) -> str:
    return digest(token, settings.SECRET_KEY, purpose="refresh-token")


def issue_pair(user: User, *, family_id: str | None = None) -> dict[str, str]:
    """Return a new access and refresh token for ``user``, in a new session by default."""
    family_id = family_id or uuid.uuid4().hex
    subject, claims = str(user.pk), {"sid": family_id}
    refresh_token = create_token(subject, TokenType.REFRESH, claims=claims)
    RefreshToken.objects.create(
        user=user,
        family_id=family_id,
        token_hash=_digest(refresh_token),
        expires_at=timezone.now() + settings.REFRESH_TOKEN_LIFETIME,
    )
    return {
        "access_token": create_token(subject, TokenType.ACCESS, claims=claims),
        "refresh_token": refresh_token,
        "token_type": "bearer",
    }


def rotate(refresh_token: str) -> dict[str, str]:
    """Exchange a refresh token, once, for a new pair of the same session."""
    decode_token(refresh_token, TokenType.REFRESH)
    stored = RefreshToken.objects.filter(token_hash=_digest(refresh_token)).first()
    if stored is None:
        raise Unauthorized(REJECTED)
    if stored.used_at is not None or stored.revoked_at is not None:
        _revoke(Q(family_id=stored.family_id))
        raise Unauthorized(REJECTED)
    now = timezone.now()
    user = User.objects.filter(pk=stored.user_id, is_active=True).first()
    if stored.expires_at <= now or user is None:
        raise Unauthorized(REJECTED)
    if not _session_alive(stored.family_id, user):
        raise Unauthorized(REJECTED)
    with transaction.atomic():
        # Only one of two concurrent uses can mark the token used; the other is a reuse.
        claimed = RefreshToken.objects.filter(
            pk=stored.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(used_at=now)
        pair = issue_pair(user, family_id=stored.family_id) if claimed == 1 else None
    if pair is None:
        _revoke(Q(family_id=stored.family_id))
        raise Unauthorized(REJECTED)
    return pair


def user_for_claims(claims: dict[str, Any]) -> User:
    """Return the active user of an access token whose session is alive, or raise."""
    subject, family_id = claims.get("sub"), claims.get("sid")
    user = None
    if isinstance(subject, str) and subject.isascii() and is_valid_id(subject):
        user = User.objects.filter(pk=int(subject), is_active=True).first()
    if user is None or not isinstance(family_id, str) or not _session_alive(family_id, user):
        raise Unauthorized(REJECTED)
    return user


def _session_alive(family_id: str, user: User) -> bool:
    """Whether the session has tokens of ``user`` and none of them is revoked."""
    counts = RefreshToken.objects.filter(family_id=family_id, user=user).aggregate(
        tokens=Count("pk"), revoked=Count("revoked_at")
    )
    return counts["tokens"] > 0 and counts["revoked"] == 0


def revoke_session(user: User, refresh_token: str) -> None:
    """End the session of one of ``user``'s refresh tokens (unknown tokens change nothing)."""
    family_id = (
        RefreshToken.objects.filter(token_hash=_digest(refresh_token), user=user)
        .values_list("family_id", flat=True)
        .first()
    )
    if family_id is not None:
        _revoke(Q(family_id=family_id))


def revoke_all(user: User) -> None:
    """End every session of a user."""
    _revoke(Q(user=user))


def _revoke(which: Q) -> None:
    RefreshToken.objects.filter(which, revoked_at__isnull=True).update(revoked_at=timezone.now())
