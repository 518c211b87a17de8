"""The login_attempts app."""

from django.apps import AppConfig


class LoginAttemptsConfig(AppConfig):
    """Failed logins by email, and the 429 that follows too many."""

    name = __package__ or "login_attempts"
    label = "login_attempts"
