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
        # Only the newest token works: earlier unused ones are spent.
        PasswordResetToken.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        PasswordResetToken.objects.create(
            user=user, token_hash=_digest(token), expires_at=now + lifetime
        )
        minutes = int(lifetime.total_seconds() // 60)
        outbox.enqueue(recipient=user.email, **reset_tokens.message(token, minutes))
    return reset_tokens.ACCEPTED


def confirm_reset(token: str, new_password: str) -> None:
    """Set the new password if the token is valid, once; end every session."""
    invalid = reset_tokens.invalid_token()
    now = timezone.now()
    stored = PasswordResetToken.objects.filter(token_hash=_digest(token)).first()
    if stored is None or stored.used_at is not None or stored.expires_at <= now:
        raise invalid
    # Hashed before the transaction, so that no lock is held while argon2 works.
    password_hash = make_password(new_password)
    with transaction.atomic():
        # Of two concurrent uses of one token, only one can spend it.
        spent = PasswordResetToken.objects.filter(pk=stored.pk, used_at__isnull=True).update(
            used_at=now
        )
        user = User.objects.filter(pk=stored.user_id, is_active=True).first()
        if spent != 1 or user is None:
            raise invalid  # rolls the spending back
        User.objects.filter(pk=user.pk).update(password=password_hash, updated_at=now)
        sessions.revoke_all(user)
