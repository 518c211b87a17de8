"""The warehouses app."""

from django.apps import AppConfig


class WarehousesConfig(AppConfig):
    """Warehouses of the inventory API."""

    name = __package__ or "warehouses"
    label = "warehouses"
