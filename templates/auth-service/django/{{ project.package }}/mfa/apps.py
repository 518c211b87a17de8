"""The mfa app."""

from django.apps import AppConfig


class MfaConfig(AppConfig):
    """TOTP multi-factor authentication with recovery codes."""

    name = __package__ or "mfa"
    label = "mfa"
