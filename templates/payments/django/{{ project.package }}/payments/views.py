"""``/payments``: charging cards (idempotently), reading payments, refunding them."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import CharField

from ..core.authentication import signed_in
from ..core.keyset import paginate_keyset
from ..core.openapi import error
from ..core.pagination import paginate
from ..core.payment_rules import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_HEADER_HELP,
    IDEMPOTENCY_KEY_SCHEMA,
)
from ..core.serializers import PageQuerySerializer, page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .serializers import (
    PaymentCreateSerializer,
    PaymentQuerySerializer,
    PaymentSerializer,
    RefundCreateSerializer,
    RefundSerializer,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_KEY_SCHEMA,
    OpenApiParameter.HEADER,
    required=True,
    description=IDEMPOTENCY_HEADER_HELP,
)


@extend_schema_view(
    list=extend_schema(
        summary="List your payments, newest first, filtered by status, currency, customer",
        parameters=[PaymentQuerySerializer],
        responses={
            200: page_serializer(
                PaymentSerializer, "PaymentPage", next_cursor=CharField(allow_null=True)
            )
        },
    ),
    create=extend_schema(
        summary="Charge a card (needs an Idempotency-Key header)",
        parameters=[IDEMPOTENCY_KEY],
        request=PaymentCreateSerializer,
        responses={
            201: PaymentSerializer,
            400: error("Idempotency-Key header missing or malformed"),
            409: error("Idempotency-Key reused with another request"),
        },
    ),
    retrieve=extend_schema(summary="Read a payment", responses={200: PaymentSerializer}),
)
class PaymentViewSet(viewsets.ViewSet):
    """Payments of the signed-in merchant; another merchant's payment is a 404."""

    lookup_url_kwarg = "payment_id"
    lookup_value_regex = "[0-9]+"

    def list(self, request: Request) -> Response:
        """One page of payments."""
        query = validated_query(request, PaymentQuerySerializer)
        page = paginate_keyset(
            services.list_payments(signed_in(request), query),
            {**query, "sort": services.SORT},
            "offset" in request.query_params,
            services.SORT_KEYS,
            PaymentSerializer,
        )
        return Response(page)

    def create(self, request: Request) -> Response:
        """Charge a card, or replay the answer to an earlier request with the same key."""
        data = validated_body(request, PaymentCreateSerializer)
        key = request.headers.get(IDEMPOTENCY_HEADER)
        result = services.create_payment(signed_in(request), data, key)
        return Response(result.body, status=result.status_code, headers=result.headers)

    def retrieve(self, request: Request, payment_id: str) -> Response:
        """One payment."""
        return Response(
            PaymentSerializer(services.get_payment(signed_in(request), payment_id)).data
        )

    @extend_schema(
        methods=["GET"],
        summary="List the refunds of a payment",
        parameters=[PageQuerySerializer],
        responses={200: page_serializer(RefundSerializer, "RefundPage")},
    )
    @extend_schema(
        methods=["POST"],
        summary="Refund a payment in part or in full (amount left out: what remains)",
        request=RefundCreateSerializer,
        responses={201: RefundSerializer, 409: error("Not refundable, or more than what remains")},
    )
    @action(detail=True, methods=["get", "post"])
    def refunds(self, request: Request, payment_id: str) -> Response:
        """List the refunds of a payment, or refund it."""
        if request.method == "POST":
            data = validated_body(request, RefundCreateSerializer)
            refund = services.refund_payment(signed_in(request), payment_id, data)
            return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)
        query = validated_query(request, PageQuerySerializer)
        refunds = services.list_refunds(signed_in(request), payment_id)
        return Response(paginate(refunds, query, RefundSerializer))
