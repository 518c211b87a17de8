"""The payments app."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payments of the payments API."""

    name = __package__ or "payments"
    label = "payments"
