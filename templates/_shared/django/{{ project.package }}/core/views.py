"""Liveness (/health) and the OpenAPI document (/openapi.json)."""

from django.db import DatabaseError, connection
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

HEALTH = inline_serializer(
    "Health", {"status": serializers.CharField(), "database": serializers.CharField()}
)


class HealthView(APIView):
    """The process answers and the database takes a query."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="Liveness and database check",
        responses={
            (200, "application/json"): HEALTH,
            (503, "application/json"): OpenApiResponse(
                HEALTH, description="The database does not answer"
            ),
        },
        tags=["health"],
    )
    def get(self, request: Request) -> Response:
        """Answer 200 when the database answers, 503 when it does not."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return Response({"status": "unavailable", "database": "error"}, status=503)
        return Response({"status": "ok", "database": "ok"})


class OpenAPIView(SpectacularJSONAPIView):
    """The OpenAPI document of every endpoint, as JSON."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
