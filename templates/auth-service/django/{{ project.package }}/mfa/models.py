"""TOTP multi-factor authentication: one authenticator per user, and recovery codes."""

from django.conf import settings
from django.db import models


class TotpCredential(models.Model):
    """A user's TOTP secret; MFA is on once ``confirmed_at`` is set."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_credential"
    )
    # Sealed with a key derived from SECRET_KEY (core/crypto.py).
    secret = models.CharField(max_length=255)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code is accepted once.
    last_used_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "totp_credentials"

    def __str__(self) -> str:
        return f"TOTP of user {self.user_id}"


class RecoveryCode(models.Model):
    """A single-use code that stands in for a TOTP code (stored as a digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "recovery_codes"

    def __str__(self) -> str:
        return f"recovery code {self.pk} of user {self.user_id}"
