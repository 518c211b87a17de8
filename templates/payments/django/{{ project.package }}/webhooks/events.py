"""The outbox: an event and its deliveries, written in the transaction of the change.

Nothing here opens a transaction: the caller's ``transaction.atomic()`` writes the
change and its events together, or neither; the worker (``python -m <package>.worker``)
sends them later.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..accounts.models import User
from ..core.outbox import event_body
from .models import Delivery, DeliveryStatus, Event, EventType, WebhookEndpoint


def record_event(
    *, owner_id: int, event_type: EventType, data: dict[str, Any], payment_id: int | None
) -> Event:
    """Add an event and one pending delivery per webhook endpoint of ``owner_id``."""
    now = timezone.now()
    event = Event.objects.create(
        owner_id=owner_id, type=event_type, payment_id=payment_id, body="", created_at=now
    )
    event.body = event_body(event.pk, event_type, now, data)
    event.save(update_fields=["body"])
    endpoints = WebhookEndpoint.objects.filter(owner_id=owner_id).values_list("pk", flat=True)
    Delivery.objects.bulk_create(
        Delivery(
            event=event,
            endpoint_id=endpoint_id,
            status=DeliveryStatus.PENDING,
            attempt_count=0,
            next_attempt_at=now,
        )
        for endpoint_id in endpoints
    )
    return event


def list_events(user: User, query: dict[str, Any]) -> QuerySet[Event]:
    """The events ``user`` may see, newest first, filtered by type or payment."""
    events = Event.objects.all() if user.is_admin else Event.objects.filter(owner=user)
    if query.get("type") is not None:
        events = events.filter(type=query["type"])
    if query.get("payment_id") is not None:
        events = events.filter(payment_id=query["payment_id"])
    return events.order_by("-pk")
