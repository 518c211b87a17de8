"""The reports app."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports of the inventory API."""

    name = __package__ or "reports"
    label = "reports"
