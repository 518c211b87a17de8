"""Liveness (/health), readiness (/ready) and the OpenAPI document (/openapi.json)."""

import threading
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponseBase
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

#: One thread at a time makes the OpenAPI document (see OpenAPIView.dispatch).
_DOCUMENT_LOCK = threading.Lock()
HEALTH = inline_serializer("Health", {"status": serializers.CharField()})
READINESS = inline_serializer(
    "Readiness",
    {
        "status": serializers.CharField(),
        "database": serializers.CharField(),
        "migrations": serializers.CharField(),
    },
)


class HealthView(APIView):
    """Liveness: the process answers; the database is not asked."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="Liveness: the process answers",
        responses={(200, "application/json"): HEALTH},
        tags=["health"],
    )
    def get(self, request: Request) -> Response:
        """Answer 200 while the process runs."""
        return Response({"status": "ok"})


def _pending_migrations() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class ReadyView(APIView):
    """Readiness: the database answers and every migration is applied."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="Readiness: the database answers and its migrations are applied",
        responses={
            (200, "application/json"): READINESS,
            (503, "application/json"): OpenApiResponse(
                READINESS, description="Not ready: the body says what"
            ),
        },
        tags=["health"],
    )
    def get(self, request: Request) -> Response:
        """Answer 200 when the database answers with every migration applied, else 503."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            pending = _pending_migrations()
        except DatabaseError:
            body = {"status": "unavailable", "database": "error", "migrations": "unknown"}
            return Response(body, status=503)
        if pending:
            body = {"status": "unavailable", "database": "ok", "migrations": "pending"}
            return Response(body, status=503)
        return Response({"status": "ok", "database": "ok", "migrations": "ok"})


class OpenAPIView(SpectacularJSONAPIView):
    """The OpenAPI document of every endpoint, as JSON."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Answer, one thread of the process at a time.

        drf-spectacular loads its extensions on first use, which is not thread-safe: two
        first requests at once could fail (an AttributeError, a 500). (``get`` itself
        stays drf-spectacular's, whose schema keeps this view out of the document.)
        """
        with _DOCUMENT_LOCK:
            return super().dispatch(request, *args, **kwargs)
