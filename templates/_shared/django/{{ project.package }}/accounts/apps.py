"""The accounts app."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users (the custom user model, ``accounts.User``) and authentication."""

    name = __package__ or "accounts"
    label = "accounts"
    verbose_name = "Accounts"
