"""The outbox, for admins: what the service would mail (a development aid).

With no mail server, password reset tokens wait in the outbox table. Replace this
route with a worker that mails the messages before going live.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.openapi import ADMIN_ONLY
from ..core.pagination import paginate
from ..core.permissions import IsAdmin
from ..core.serializers import page_serializer
from ..core.validation import validated_query
from . import services
from .serializers import OutboxMessageSerializer, OutboxQuerySerializer


class OutboxView(APIView):
    """``GET /admin/outbox``."""

    permission_classes = (IsAuthenticated, IsAdmin)

    @extend_schema(
        summary="List outbox messages (admin)",
        parameters=[OutboxQuerySerializer],
        responses={
            200: page_serializer(OutboxMessageSerializer, "OutboxMessagePage"),
            **ADMIN_ONLY,
        },
        tags=["admin"],
    )
    def get(self, request: Request) -> Response:
        """List the messages waiting to be mailed, newest first, for one recipient if given."""
        query = validated_query(request, OutboxQuerySerializer)
        messages = services.list_messages(query.get("recipient"))
        return Response(paginate(messages, query, OutboxMessageSerializer))
