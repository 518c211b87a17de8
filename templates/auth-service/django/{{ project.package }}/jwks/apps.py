"""The jwks app."""

from django.apps import AppConfig


class JwksConfig(AppConfig):
    """The JSON Web Key Set that publishes the token verification keys."""

    name = __package__ or "jwks"
    label = "jwks"

    def ready(self) -> None:
        """Register the signing key's deployment check."""
        from . import checks  # noqa: F401
