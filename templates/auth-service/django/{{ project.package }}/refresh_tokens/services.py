"""Token pairs: a short-lived access token, and a refresh token stored and rotated.

Each login starts a session: a family of refresh tokens sharing one id, which every
token of the session carries as its ``sid`` claim. A refresh token works once, and is
stored only as a keyed digest. Using it again means it was copied: the whole family
is revoked, so the thief's and the owner's newest tokens both stop working. An access
token is accepted only while its session is alive, so a logout, a password change or
a detected reuse ends it at once, not when it expires.

Ending a session and rotating its refresh token may run at the same instant; neither
order may leave a working token behind:

- Every token carries the user's token epoch (the ``epoch`` claim). Ending every
  session (log out everywhere, a password change or reset, disabling the account)
  updates the user's row first, moving the epoch on; a rotation locks that row before
  it claims the old token. So the two serialize on the user's row, and a token of the
  old epoch never works again. Every transaction that changes a user's sessions or
  reset tokens takes the user's row first, so they cannot deadlock.
- A session is over once any of its tokens is revoked. Of a logout of one session and
  a rotation, the conditional ``UPDATE`` of the presented token decides: either the
  rotation marks it used first, and the logout then revokes it (so the new token
  belongs to an ended session), or the logout revokes it first, and the rotation finds
  it taken.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ..accounts.models import User
from ..core.crypto import digest
from ..core.errors import Unauthorized
from ..core.security import (
    EPOCH_CLAIM,
    REJECTED,
    TokenType,
    create_token,
    decode_token,
    in_epoch,
)
from ..core.serializers import is_valid_id
from ..password_resets.models import PasswordResetToken
from .models import RefreshToken


def _digest(token: str) -> str:
    return digest(token, settings.SECRET_KEY, purpose="refresh-token")


def issue_pair(user: User, *, family_id: str | None = None) -> dict[str, str]:
    """Return a new access and refresh token for ``user``, in a new session by default.

    The access token also tells the services that accept it who the user is now: the
    ``email`` and ``roles`` claims (core/security.py adds ``iss`` and ``aud``).
    """
    family_id = family_id or uuid.uuid4().hex
    subject, claims = str(user.pk), {"sid": family_id, EPOCH_CLAIM: user.token_epoch}
    refresh_token = create_token(subject, TokenType.REFRESH, claims=claims)
    RefreshToken.objects.create(
        user=user,
        family_id=family_id,
        token_hash=_digest(refresh_token),
        expires_at=timezone.now() + settings.REFRESH_TOKEN_LIFETIME,
    )
    return {
        "access_token": create_token(
            subject,
            TokenType.ACCESS,
            claims={**claims, "email": user.email, "roles": [str(user.role)]},
        ),
        "refresh_token": refresh_token,
        "token_type": "bearer",
    }


def rotate(refresh_token: str) -> dict[str, str]:
    """Exchange a refresh token, once, for a new pair of the same session."""
    claims = decode_token(refresh_token, TokenType.REFRESH)
    stored = RefreshToken.objects.filter(token_hash=_digest(refresh_token)).first()
    if stored is None:
        raise Unauthorized(REJECTED)
    if stored.used_at is not None or stored.revoked_at is not None:
        _revoke(Q(family_id=stored.family_id))
        raise Unauthorized(REJECTED)
    now = timezone.now()
    if stored.expires_at <= now:
        raise Unauthorized(REJECTED)
    with transaction.atomic():
        user = lock_user(stored.user_id)
        if (
            user is None
            or not user.is_active
            or not in_epoch(claims, user.token_epoch)
            or not _session_alive(stored.family_id, user)
        ):
            raise Unauthorized(REJECTED)
        # Only one of two concurrent uses can mark the token used; the other is a reuse.
        claimed = RefreshToken.objects.filter(
            pk=stored.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(used_at=now)
        pair = issue_pair(user, family_id=stored.family_id) if claimed == 1 else None
    if pair is None:
        _revoke(Q(family_id=stored.family_id))
        raise Unauthorized(REJECTED)
    return pair


def lock_user(user_id: int) -> User | None:
    """Read the user's row and lock it until the transaction ends (SQLite ignores it).

    A transaction that changes the user's sessions or reset tokens takes this lock, or
    updates the row, before it touches them.
    """
    return User.objects.select_for_update().filter(pk=user_id).first()


def user_for_claims(claims: dict[str, Any]) -> User:
    """Return the active user of an access token whose session is alive, or raise."""
    subject, family_id = claims.get("sub"), claims.get("sid")
    user = None
    if isinstance(subject, str) and subject.isascii() and is_valid_id(subject):
        user = User.objects.filter(pk=int(subject), is_active=True).first()
    if (
        user is None
        or not in_epoch(claims, user.token_epoch)
        or not isinstance(family_id, str)
        or not _session_alive(family_id, user)
    ):
        raise Unauthorized(REJECTED)
    return user


def _session_alive(family_id: str, user: User) -> bool:
    """Whether the session has tokens of ``user`` and none of them is revoked."""
    counts = RefreshToken.objects.filter(family_id=family_id, user=user).aggregate(
        tokens=Count("pk"), revoked=Count("revoked_at")
    )
    tokens: int = counts["tokens"]
    revoked: int = counts["revoked"]
    return tokens > 0 and revoked == 0


def revoke_session(user: User, refresh_token: str) -> None:
    """End the session of one of ``user``'s refresh tokens (unknown tokens change nothing)."""
    family_id = (
        RefreshToken.objects.filter(token_hash=_digest(refresh_token), user=user)
        .values_list("family_id", flat=True)
        .first()
    )
    if family_id is not None:
        _revoke(Q(family_id=family_id))


def end_sessions(user: User) -> None:
    """End every session of ``user`` for good, and void their unused reset tokens.

    Whoever ends every session suspects that someone else got in, and a reset token
    is another way in. Call it in the transaction that causes it.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(token_epoch=F("token_epoch") + 1)
        _revoke(Q(user=user))
        PasswordResetToken.objects.filter(user=user, used_at__isnull=True).update(
            used_at=timezone.now()
        )


def _revoke(which: Q) -> None:
    RefreshToken.objects.filter(which, revoked_at__isnull=True).update(revoked_at=timezone.now())
