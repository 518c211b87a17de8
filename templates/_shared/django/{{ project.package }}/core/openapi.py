"""How the OpenAPI document (drf-spectacular) describes this service's authentication."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer <access token>`` (a JWT from /auth/login)."""

    target_class = f"{__package__}.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """The security scheme of the document."""
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
