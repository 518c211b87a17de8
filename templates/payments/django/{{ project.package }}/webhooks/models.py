"""Webhook endpoints, the event outbox, deliveries and their attempts."""

from typing import Any

from django.conf import settings
from django.db import models

from ..core import outbox

#: The event types and delivery statuses of ``core/outbox.py`` as Django choices.
# django-stubs types only the class form of TextChoices, not this functional one
# (Enum's: a name and (member, value) pairs), which Django supports.
EventType = models.TextChoices(  # type: ignore[call-overload]
    "EventType", [(kind.name, kind.value) for kind in outbox.EventType]
)
# django-stubs types only the class form of TextChoices, not this functional one
# (Enum's: a name and (member, value) pairs), which Django supports.
DeliveryStatus = models.TextChoices(  # type: ignore[call-overload]
    "DeliveryStatus", [(status.name, status.value) for status in outbox.DeliveryStatus]
)


class WebhookEndpoint(models.Model):
    """A URL of a merchant that receives signed events."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.CharField(max_length=2000)
    description = models.CharField(max_length=200, null=True, blank=True)
    # Kept as is: the worker needs it to sign. Shown once, when the endpoint is made.
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "webhook_endpoints"

    def __str__(self) -> str:
        return self.url


class Event(models.Model):
    """An event in the outbox: written in the transaction of the change it reports."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(max_length=30, choices=EventType, db_index=True)
    payment = models.ForeignKey(
        "payments.Payment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    # The exact JSON body every endpoint receives (signatures cover these bytes).
    body = models.TextField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "events"

    def __str__(self) -> str:
        return f"event {self.pk} ({self.type})"

    @property
    def data(self) -> dict[str, Any]:
        """The object the event is about (a payment or a refund)."""
        return outbox.event_data(self.body)


class Delivery(models.Model):
    """An event on its way to one endpoint; the worker claims those that are due."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=20, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempt_count = models.IntegerField(default=0)
    # When a pending delivery is due; while a worker holds it, when its lease ends.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, null=True, blank=True)
    last_status_code = models.IntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "deliveries"
        verbose_name_plural = "deliveries"
        # The worker's query: pending deliveries by due time.
        indexes = (
            models.Index(fields=["status", "next_attempt_at"], name="ix_deliveries_status_next_at"),
        )

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"


class DeliveryAttempt(models.Model):
    """One try to deliver an event to an endpoint: when, and what came back."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField()
    status_code = models.IntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, null=True, blank=True)
    duration_ms = models.IntegerField()

    class Meta:
        db_table = "delivery_attempts"

    def __str__(self) -> str:
        return f"attempt {self.pk} of delivery {self.delivery_id}"
