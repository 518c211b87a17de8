"""The webhooks app."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks of the payments API."""

    name = __package__ or "webhooks"
    label = "webhooks"
