"""Webhook endpoints of a merchant, and the deliveries made to them."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet

from ..accounts.models import User
from ..core.errors import NotFound
from ..core.outbox import new_secret
from ..core.serializers import is_valid_id
from .models import Delivery, DeliveryAttempt, WebhookEndpoint

#: How many times a delete is tried while payments' events keep adding deliveries.
DELETE_TRIES = 5


def visible_to(user: User) -> QuerySet[WebhookEndpoint]:
    """The endpoints ``user`` may see (an admin: all)."""
    endpoints = WebhookEndpoint.objects.all()
    return endpoints if user.is_admin else endpoints.filter(owner=user)


def create_webhook(user: User, data: dict[str, Any]) -> WebhookEndpoint:
    """Register an endpoint of ``user``; the caller shows its secret this once."""
    return WebhookEndpoint.objects.create(
        owner=user, url=data["url"], description=data.get("description"), secret=new_secret()
    )


def list_webhooks(user: User) -> QuerySet[WebhookEndpoint]:
    """The endpoints ``user`` may see, newest first."""
    return visible_to(user).order_by("-created_at", "-pk")


def get_webhook(user: User, webhook_id: int | str) -> WebhookEndpoint:
    """Return an endpoint ``user`` may see; anyone else's is ``NotFound``."""
    endpoint = None
    if is_valid_id(webhook_id):
        endpoint = visible_to(user).filter(pk=int(webhook_id)).first()
    if endpoint is None:
        raise NotFound("Webhook not found")
    return endpoint


def delete_webhook(user: User, webhook_id: int | str) -> None:
    """Delete an endpoint with its deliveries and their attempts.

    Django deletes the deliveries it found, then the endpoint (the database has no
    cascade of its own). A payment's event that commits in between adds a delivery
    the first pass did not see, and the endpoint's row cannot go (a foreign key
    error): the delete is tried again, in a new transaction that sees that delivery.
    """
    endpoint_id = get_webhook(user, webhook_id).pk
    for tried in range(1, DELETE_TRIES + 1):
        try:
            # A query, not the object: a failed try may have cleared the object's pk
            # (PostgreSQL and SQLite check the key at commit, after Django's delete).
            with transaction.atomic():
                WebhookEndpoint.objects.filter(pk=endpoint_id).delete()
            return
        except IntegrityError:
            if tried == DELETE_TRIES:
                raise


def list_deliveries(user: User, webhook_id: int | str, query: dict[str, Any]) -> QuerySet[Delivery]:
    """The deliveries to an endpoint, newest first, with their events and attempts."""
    endpoint = get_webhook(user, webhook_id)
    deliveries = Delivery.objects.filter(endpoint=endpoint)
    if query.get("status") is not None:
        deliveries = deliveries.filter(status=query["status"])
    attempts = Prefetch("attempts", queryset=DeliveryAttempt.objects.order_by("pk"))
    return deliveries.select_related("event").prefetch_related(attempts).order_by("-pk")
