"""The password_resets app."""

from django.apps import AppConfig


class PasswordResetsConfig(AppConfig):
    """Single-use password reset tokens."""

    name = __package__ or "password_resets"
    label = "password_resets"
