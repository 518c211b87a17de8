"""The core app: the management commands (create_database, create_admin, ...)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Holds no models; it is an app so that Django finds its commands."""

    name = __package__ or "core"
    label = "core"

    def ready(self) -> None:
        """Register the OpenAPI description of the bearer authentication, and what the
        database's module sets up once (``database.ready``)."""
        from . import database, openapi  # noqa: F401

        database.ready()
