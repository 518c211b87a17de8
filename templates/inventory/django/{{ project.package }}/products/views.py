"""``/products``: everyone signed in reads them; admins create and change them."""

from collections.abc import Sequence

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import CharField

from ..core.keyset import paginate_keyset
from ..core.openapi import ADMIN_ONLY, error
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .access import catalog_permissions
from .serializers import (
    ProductCreateSerializer,
    ProductQuerySerializer,
    ProductSerializer,
    ProductUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List products, filtered by category, status and text, sorted by SKU",
        parameters=[ProductQuerySerializer],
        responses={
            200: page_serializer(
                ProductSerializer, "ProductPage", next_cursor=CharField(allow_null=True)
            )
        },
    ),
    create=extend_schema(
        summary="Create a product",
        request=ProductCreateSerializer,
        responses={
            201: ProductSerializer,
            **ADMIN_ONLY,
            409: error("A product with this SKU exists"),
        },
    ),
    retrieve=extend_schema(summary="Read a product", responses={200: ProductSerializer}),
    partial_update=extend_schema(
        summary="Change a product, or retire it with is_active false",
        request=ProductUpdateSerializer,
        responses={200: ProductSerializer, **ADMIN_ONLY},
    ),
)
class ProductViewSet(viewsets.ViewSet):
    """The product catalog; products are retired, never deleted."""

    lookup_url_kwarg = "product_id"
    lookup_value_regex = "[0-9]+"

    def get_permissions(self) -> Sequence[BasePermission]:
        """Everyone signed in reads; admins write."""
        return catalog_permissions(self.action)

    def list(self, request: Request) -> Response:
        """One page of products."""
        query = validated_query(request, ProductQuerySerializer)
        page = paginate_keyset(
            services.list_products(query),
            {**query, "sort": services.SORT},
            "offset" in request.query_params,
            services.SORT_KEYS,
            ProductSerializer,
        )
        return Response(page)

    def create(self, request: Request) -> Response:
        """Create a product."""
        product = services.create_product(validated_body(request, ProductCreateSerializer))
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, product_id: str) -> Response:
        """One product."""
        return Response(ProductSerializer(services.get_product(product_id)).data)

    def partial_update(self, request: Request, product_id: str) -> Response:
        """Change the fields sent."""
        changes = validated_body(request, ProductUpdateSerializer)
        return Response(ProductSerializer(services.update_product(product_id, changes)).data)
