"""How the OpenAPI document (drf-spectacular) describes this service.

drf-spectacular reads the views and serializers; what it would guess differently
from what the service does is said here: the bearer scheme, pages (an object, never
a bare array), request bodies (required as a whole, no unknown fields), and last the
rules every stack's document follows (``core.openapi_document.finish``: the error
answers, ids in paths, query parameters).
"""

import re
from typing import Any

from drf_spectacular.drainage import get_override
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiResponse

from .openapi_document import finish
from .serializers import InputSerializer


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer <access token>`` (a JWT from /auth/login)."""

    target_class = f"{__package__}.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """The security scheme of the document."""
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def error(description: str) -> OpenApiResponse:
    """An error answer a view declares (403, 409, ...); finish() gives it the error body."""
    return OpenApiResponse(description=description)


ADMIN_ONLY = {403: error("Admin role required")}


class ServiceSchema(AutoSchema):
    """drf-spectacular's AutoSchema, told what the service's views answer and take."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        # A list answers one page, {"items", "total", "limit", "offset"}: an object.
        return False

    def _get_serializer_field_meta(self, field: Any, direction: str) -> dict[str, Any]:
        meta: dict[str, Any] = super()._get_serializer_field_meta(field, direction)
        if get_override(field, "field") is not None:
            # A field whose schema is written out whole (extend_schema_field) gets no
            # minLength of drf-spectacular's either.
            meta.pop("minLength", None)
        return meta

    def get_auth(self) -> list[dict[str, Any]]:
        """Security requirements; ``{}`` too where a token is optional.

        drf-spectacular knows that of AllowAny; a permission class of the service that
        lets anonymous requests in says so with ``allows_anonymous = True``.
        """
        auths: list[dict[str, Any]] = super().get_auth()
        permissions = self.view.get_permissions()
        if any(getattr(p, "allows_anonymous", False) for p in permissions) and {} not in auths:
            auths.append({})
        return auths

    def get_operation_id(self) -> str:
        """``get_projects_project_id``: the method and the path, as on every stack."""
        words = re.split(r"[^A-Za-z0-9]+", self.path.replace("{", "").replace("}", ""))
        return "_".join([self.method.lower(), *filter(None, words)])

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        body: dict[str, Any] | None = super()._get_request_body(direction)
        if body is not None:
            # core.validation reads the body as a whole: without one, a PATCH is a 422 too.
            body["required"] = True
        return body

    def _map_serializer(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and isinstance(force_instance(serializer), InputSerializer):
            # InputSerializer refuses keys that are not its fields.
            schema["additionalProperties"] = False
        return schema


def finish_document(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """drf-spectacular's last postprocessing hook: the rules of every stack's document."""
    return finish(result)
