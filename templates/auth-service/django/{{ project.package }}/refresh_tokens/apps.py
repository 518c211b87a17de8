"""The refresh_tokens app."""

from django.apps import AppConfig


class RefreshTokensConfig(AppConfig):
    """Sessions: refresh tokens, stored as digests and rotated."""

    name = __package__ or "refresh_tokens"
    label = "refresh_tokens"
