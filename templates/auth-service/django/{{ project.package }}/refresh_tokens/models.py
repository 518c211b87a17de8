"""Refresh tokens, stored as digests, in families that make up one session each."""

from django.conf import settings
from django.db import models


class RefreshToken(models.Model):
    """One refresh token; rotating it adds the next token of the same family.

    A token is good while it is neither used, revoked nor expired. Presenting a used
    one again means it was copied: the whole family is revoked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refresh_tokens"
    )
    # The session: every token rotated from one login shares it (the "sid" claim).
    family_id = models.CharField(max_length=32, db_index=True)
    # HMAC-SHA256 of the token (core/crypto.py), never the token itself.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "refresh_tokens"

    def __str__(self) -> str:
        return f"refresh token {self.pk} of session {self.family_id}"
