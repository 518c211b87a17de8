"""The stock app."""

from django.apps import AppConfig


class StockConfig(AppConfig):
    """Stock of the inventory API."""

    name = __package__ or "stock"
    label = "stock"
