"""Webhook endpoint, event and delivery shapes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..core.outbox import MAX_URL_LENGTH, url_problem
from ..core.serializers import IdField, InputSerializer, PageQuerySerializer, Serializer
from .models import DeliveryStatus, EventType


# The document says "uri"; url_problem takes only http(s) ones with a host.
@extend_schema_field(
    {"type": "string", "format": "uri", "minLength": 1, "maxLength": MAX_URL_LENGTH}
)
class WebhookUrlField(serializers.CharField):
    """The URL a webhook posts to."""


class WebhookSerializer(Serializer):
    """A webhook endpoint as lists show it (never the secret)."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class WebhookCreatedSerializer(WebhookSerializer):
    """A new endpoint with its signing secret, which no other response shows."""

    secret = serializers.CharField(read_only=True)


class WebhookCreateSerializer(InputSerializer):
    """A URL to receive events, with an optional note."""

    url = WebhookUrlField(max_length=MAX_URL_LENGTH, trim_whitespace=False)
    description = serializers.CharField(
        max_length=200, allow_null=True, allow_blank=True, required=False
    )

    def validate_url(self, value: str) -> str:
        """An absolute http(s) URL with a host, no credentials, no spaces, a real port."""
        problem = url_problem(value)
        if problem is not None:
            raise serializers.ValidationError(problem)
        return value


class EventSerializer(Serializer):
    """An event of the outbox, with the object it is about."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    type = serializers.ChoiceField(choices=EventType.choices, read_only=True)
    payment_id = serializers.IntegerField(read_only=True, allow_null=True)
    # DRF's metaclass takes declared fields off the class, so this field leaves
    # Serializer.data as it is; the stubs cannot see that.
    data = serializers.DictField(read_only=True)  # type: ignore[assignment]
    created_at = serializers.DateTimeField(read_only=True)


class EventQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /events`` (newest first)."""

    type = serializers.ChoiceField(choices=EventType.choices, required=False)
    payment_id = IdField(required=False)


class AttemptSerializer(Serializer):
    """One attempt to deliver: when, the status code or the error, how long it took."""

    attempted_at = serializers.DateTimeField(read_only=True)
    status_code = serializers.IntegerField(read_only=True, allow_null=True)
    error = serializers.CharField(read_only=True, allow_null=True)
    duration_ms = serializers.IntegerField(read_only=True)


class DeliverySerializer(Serializer):
    """An event's delivery to one endpoint, with every attempt so far."""

    id = serializers.IntegerField(read_only=True)
    webhook_id = serializers.IntegerField(read_only=True, source="endpoint_id")
    event_id = serializers.IntegerField(read_only=True)
    event_type = serializers.ChoiceField(
        choices=EventType.choices, read_only=True, source="event.type"
    )
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, read_only=True)
    attempt_count = serializers.IntegerField(read_only=True)
    next_attempt_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_status_code = serializers.IntegerField(read_only=True, allow_null=True)
    last_error = serializers.CharField(read_only=True, allow_null=True)
    delivered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    # Oldest first: the services prefetch them in that order.
    attempts = AttemptSerializer(many=True, read_only=True)


class DeliveryQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /webhooks/{webhook_id}/deliveries`` (newest first)."""

    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)
