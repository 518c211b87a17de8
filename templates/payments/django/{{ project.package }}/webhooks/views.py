"""``/webhooks`` (a merchant's endpoints and their deliveries) and ``/events`` (the outbox)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.authentication import signed_in
from ..core.pagination import paginate
from ..core.serializers import PageQuerySerializer, page_serializer
from ..core.validation import validated_body, validated_query
from . import events, services
from .serializers import (
    DeliveryQuerySerializer,
    DeliverySerializer,
    EventQuerySerializer,
    EventSerializer,
    WebhookCreatedSerializer,
    WebhookCreateSerializer,
    WebhookSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List your webhook endpoints",
        parameters=[PageQuerySerializer],
        responses={200: page_serializer(WebhookSerializer, "WebhookPage")},
    ),
    create=extend_schema(
        summary="Register a webhook endpoint; its signing secret is shown only here",
        request=WebhookCreateSerializer,
        responses={201: WebhookCreatedSerializer},
    ),
    retrieve=extend_schema(summary="Read a webhook endpoint", responses={200: WebhookSerializer}),
    destroy=extend_schema(
        summary="Delete a webhook endpoint (its pending deliveries go with it)",
        responses={204: None},
    ),
    deliveries=extend_schema(
        summary="List the deliveries of a webhook endpoint, each with its attempts",
        parameters=[DeliveryQuerySerializer],
        responses={200: page_serializer(DeliverySerializer, "DeliveryPage")},
    ),
)
class WebhookViewSet(viewsets.ViewSet):
    """Webhook endpoints of the signed-in merchant; another merchant's is a 404."""

    lookup_url_kwarg = "webhook_id"
    lookup_value_regex = "[0-9]+"

    def list(self, request: Request) -> Response:
        """One page of endpoints (never their secrets)."""
        query = validated_query(request, PageQuerySerializer)
        return Response(
            paginate(services.list_webhooks(signed_in(request)), query, WebhookSerializer)
        )

    def create(self, request: Request) -> Response:
        """Register an endpoint and show its secret, this once."""
        data = validated_body(request, WebhookCreateSerializer)
        endpoint = services.create_webhook(signed_in(request), data)
        return Response(WebhookCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, webhook_id: str) -> Response:
        """One endpoint."""
        return Response(
            WebhookSerializer(services.get_webhook(signed_in(request), webhook_id)).data
        )

    def destroy(self, request: Request, webhook_id: str) -> Response:
        """Delete an endpoint and its deliveries."""
        services.delete_webhook(signed_in(request), webhook_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, webhook_id: str) -> Response:
        """One page of the endpoint's deliveries, newest first."""
        query = validated_query(request, DeliveryQuerySerializer)
        deliveries = services.list_deliveries(signed_in(request), webhook_id, query)
        return Response(paginate(deliveries, query, DeliverySerializer))


class EventViewSet(viewsets.ViewSet):
    """The outbox of the signed-in merchant (every merchant's for an admin)."""

    @extend_schema(
        summary="List your events (the outbox), newest first, filtered by type or payment",
        parameters=[EventQuerySerializer],
        responses={200: page_serializer(EventSerializer, "EventPage")},
    )
    def list(self, request: Request) -> Response:
        """One page of events."""
        query = validated_query(request, EventQuerySerializer)
        return Response(
            paginate(events.list_events(signed_in(request), query), query, EventSerializer)
        )
