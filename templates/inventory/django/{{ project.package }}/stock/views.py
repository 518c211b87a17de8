"""``/stock`` (levels) and ``/movements`` (the ledger): everyone signed in reads them;
managers and admins record movements.
"""

from collections.abc import Sequence

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.authentication import signed_in
from ..core.openapi import error
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .permissions import movement_permissions
from .serializers import (
    MovementCreateSerializer,
    MovementQuerySerializer,
    MovementReceiptSerializer,
    MovementSerializer,
    StockLevelSerializer,
    StockQuerySerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Stock levels per product and warehouse, filtered by product and warehouse",
        parameters=[StockQuerySerializer],
        responses={200: page_serializer(StockLevelSerializer, "StockLevelPage")},
    ),
)
class StockViewSet(viewsets.ViewSet):
    """Stock levels: one per product and warehouse that ever held it."""

    def list(self, request: Request) -> Response:
        """One page of levels, by product then warehouse."""
        query = validated_query(request, StockQuerySerializer)
        return Response(paginate(services.list_levels(query), query, StockLevelSerializer))


@extend_schema_view(
    list=extend_schema(
        summary="The stock ledger, newest first, filtered by product, warehouse and type",
        parameters=[MovementQuerySerializer],
        responses={200: page_serializer(MovementSerializer, "MovementPage")},
    ),
    create=extend_schema(
        summary="Receive, ship, adjust or transfer stock",
        request=MovementCreateSerializer,
        responses={
            201: MovementReceiptSerializer,
            403: error("Manager role required"),
            404: error("Product or warehouse not found"),
            409: error("Insufficient stock, or inactive product"),
        },
    ),
)
class MovementViewSet(viewsets.ViewSet):
    """The append-only ledger: movements are recorded, never changed or deleted."""

    def get_permissions(self) -> Sequence[BasePermission]:
        """Everyone signed in reads; managers and admins record."""
        return movement_permissions(self.action)

    def list(self, request: Request) -> Response:
        """One page of the ledger."""
        query = validated_query(request, MovementQuerySerializer)
        return Response(paginate(services.list_movements(query), query, MovementSerializer))

    def create(self, request: Request) -> Response:
        """Record a movement; 409 (and nothing written) when stock would leave its range."""
        data = validated_body(request, MovementCreateSerializer)
        receipt = services.record_movement(signed_in(request), data)
        return Response(MovementReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)
