"""The products app."""

from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """Products of the inventory API."""

    name = __package__ or "products"
    label = "products"
