"""``/reports``: low stock and stock valuation, for everyone signed in."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.openapi import error
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_query
from . import services
from .serializers import (
    LowStockItemSerializer,
    LowStockQuerySerializer,
    ValuationQuerySerializer,
    ValuationSerializer,
)


class LowStockView(APIView):
    """Products to reorder."""

    @extend_schema(
        summary="Active products whose total stock is at or below their threshold",
        parameters=[LowStockQuerySerializer],
        responses={200: page_serializer(LowStockItemSerializer, "LowStockPage")},
    )
    def get(self, request: Request) -> Response:
        """One page of low-stock products, by SKU."""
        query = validated_query(request, LowStockQuerySerializer)
        return Response(paginate(services.low_stock(query), query, LowStockItemSerializer))


class ValuationView(APIView):
    """What the stock is worth."""

    @extend_schema(
        summary="Stock value per currency (level x price, in minor units)",
        parameters=[ValuationQuerySerializer],
        responses={200: ValuationSerializer, 404: error("Warehouse not found")},
    )
    def get(self, request: Request) -> Response:
        """The totals per currency, optionally for one warehouse."""
        query = validated_query(request, ValuationQuerySerializer)
        return Response(ValuationSerializer(services.valuation(query)).data)
