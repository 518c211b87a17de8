"""``/customers``: a merchant's customers (every customer for an admin)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.authentication import signed_in
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .serializers import (
    CustomerCreateSerializer,
    CustomerQuerySerializer,
    CustomerSerializer,
    CustomerUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List your customers (all for an admin), paginated, filtered by email",
        parameters=[CustomerQuerySerializer],
        responses={200: page_serializer(CustomerSerializer, "CustomerPage")},
    ),
    create=extend_schema(
        summary="Create a customer",
        request=CustomerCreateSerializer,
        responses={201: CustomerSerializer},
    ),
    retrieve=extend_schema(summary="Read a customer", responses={200: CustomerSerializer}),
    partial_update=extend_schema(
        summary="Change a customer's name or email",
        request=CustomerUpdateSerializer,
        responses={200: CustomerSerializer},
    ),
)
class CustomerViewSet(viewsets.ViewSet):
    """Customers of the signed-in merchant; another merchant's customer is a 404."""

    lookup_url_kwarg = "customer_id"
    lookup_value_regex = "[0-9]+"

    def list(self, request: Request) -> Response:
        """One page of customers."""
        query = validated_query(request, CustomerQuerySerializer)
        customers = services.list_customers(signed_in(request), query)
        return Response(paginate(customers, query, CustomerSerializer))

    def create(self, request: Request) -> Response:
        """Create a customer of the signed-in merchant."""
        data = validated_body(request, CustomerCreateSerializer)
        customer = services.create_customer(signed_in(request), data)
        return Response(CustomerSerializer(customer).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, customer_id: str) -> Response:
        """One customer."""
        return Response(
            CustomerSerializer(services.get_customer(signed_in(request), customer_id)).data
        )

    def partial_update(self, request: Request, customer_id: str) -> Response:
        """Change the fields sent."""
        changes = validated_body(request, CustomerUpdateSerializer)
        customer = services.update_customer(signed_in(request), customer_id, changes)
        return Response(CustomerSerializer(customer).data)
