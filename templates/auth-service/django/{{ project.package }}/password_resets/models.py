"""Password reset tokens: single use, short-lived, stored as digests."""

from django.conf import settings
from django.db import models


class PasswordResetToken(models.Model):
    """A token that lets its holder set a new password once, before it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_reset_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "password_reset_tokens"

    def __str__(self) -> str:
        return f"password reset token {self.pk} of user {self.user_id}"
