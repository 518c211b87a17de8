"""Password resets: tokens stored as digests, sent through the outbox (core/reset_tokens.py)."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ..accounts.models import User, normalize_email
from ..core import reset_tokens
from ..core.crypto import new_token
from ..outbox import services as outbox
from ..refresh_tokens import services as sessions
from .models import PasswordResetToken


def _digest(token: str) -> str:
    return reset_tokens.token_digest(token, settings.SECRET_KEY)


def request_reset(email: str) -> str:
    """Send a reset token to an active account; return the one answer for every email."""
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None:
        return reset_tokens.ACCEPTED
    now = timezone.now()
    token = new_token()
    lifetime = settings.PASSWORD_RESET_LIFETIME
    with transaction.atomic():
        # The user's row first, as every change to the user's reset tokens takes it.
        sessions.lock_user(user.pk)
        # Only the newest token works: earlier unused ones are spent.
        PasswordResetToken.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        PasswordResetToken.objects.create(
            user=user, token_hash=_digest(token), expires_at=now + lifetime
        )
        minutes = int(lifetime.total_seconds() // 60)
        outbox.enqueue(recipient=user.email, **reset_tokens.message(token, minutes))
    return reset_tokens.ACCEPTED


def confirm_reset(token: str, new_password: str) -> None:
    """Set the new password if the token is valid, once; end every session.

    Ending every session also voids the user's other unused reset tokens.
    """
    invalid = reset_tokens.invalid_token()
    now = timezone.now()
    stored = PasswordResetToken.objects.filter(token_hash=_digest(token)).first()
    if stored is None or stored.used_at is not None or stored.expires_at <= now:
        raise invalid
    # Hashed before the transaction, so that no lock is held while argon2 works.
    password_hash = make_password(new_password)
    with transaction.atomic():
        # The user's row first, as every change to the user's sessions takes it.
        user = sessions.lock_user(stored.user_id)
        if user is None or not user.is_active:
            raise invalid
        # Of two concurrent uses of one token, only one can spend it.
        spent = PasswordResetToken.objects.filter(pk=stored.pk, used_at__isnull=True).update(
            used_at=now
        )
        if spent != 1:
            raise invalid  # rolls the spending back
        User.objects.filter(pk=user.pk).update(password=password_hash, updated_at=now)
        sessions.end_sessions(user)
