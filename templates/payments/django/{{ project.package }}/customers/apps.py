"""The customers app."""

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Customers of the payments API."""

    name = __package__ or "customers"
    label = "customers"
