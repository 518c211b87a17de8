"""``/warehouses``: everyone signed in reads them; admins create and rename them."""

from collections.abc import Sequence

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.openapi import ADMIN_ONLY, error
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from ..products.access import catalog_permissions
from . import services
from .serializers import (
    WarehouseCreateSerializer,
    WarehouseQuerySerializer,
    WarehouseSerializer,
    WarehouseUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List warehouses, sorted by code",
        parameters=[WarehouseQuerySerializer],
        responses={200: page_serializer(WarehouseSerializer, "WarehousePage")},
    ),
    create=extend_schema(
        summary="Create a warehouse",
        request=WarehouseCreateSerializer,
        responses={201: WarehouseSerializer, **ADMIN_ONLY, 409: error("Code taken")},
    ),
    retrieve=extend_schema(summary="Read a warehouse", responses={200: WarehouseSerializer}),
    partial_update=extend_schema(
        summary="Rename a warehouse",
        request=WarehouseUpdateSerializer,
        responses={200: WarehouseSerializer, **ADMIN_ONLY},
    ),
)
class WarehouseViewSet(viewsets.ViewSet):
    """The warehouses stock is kept in."""

    lookup_url_kwarg = "warehouse_id"
    lookup_value_regex = "[0-9]+"

    def get_permissions(self) -> Sequence[BasePermission]:
        """Everyone signed in reads; admins write."""
        return catalog_permissions(self.action)

    def list(self, request: Request) -> Response:
        """One page of warehouses."""
        query = validated_query(request, WarehouseQuerySerializer)
        return Response(paginate(services.list_warehouses(), query, WarehouseSerializer))

    def create(self, request: Request) -> Response:
        """Create a warehouse."""
        warehouse = services.create_warehouse(validated_body(request, WarehouseCreateSerializer))
        return Response(WarehouseSerializer(warehouse).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, warehouse_id: str) -> Response:
        """One warehouse."""
        return Response(WarehouseSerializer(services.get_warehouse(warehouse_id)).data)

    def partial_update(self, request: Request, warehouse_id: str) -> Response:
        """Rename a warehouse."""
        changes = validated_body(request, WarehouseUpdateSerializer)
        warehouse = services.update_warehouse(warehouse_id, changes)
        return Response(WarehouseSerializer(warehouse).data)
