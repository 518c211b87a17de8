"""The outbox app."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Messages to mail, and the admins' view of them."""

    name = __package__ or "outbox"
    label = "outbox"
