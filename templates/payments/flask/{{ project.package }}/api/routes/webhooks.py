"""Webhook endpoints of the signed-in merchant, their deliveries, and the event outbox."""

from flask import Blueprint

from ...models.users import User
from ...models.webhooks import WebhookEndpoint
from ...schemas.common import Page
from ...schemas.fields import ListQuery
from ...schemas.webhooks import (
    DeliveryPublic,
    DeliveryQuery,
    EventPublic,
    EventQuery,
    WebhookCreate,
    WebhookCreated,
    WebhookPublic,
)
from ...services import events, webhooks
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("webhooks", __name__)
NOT_FOUND = {404: "Webhook not found"}


@bp.get("/webhooks")
@endpoint(
    summary="List webhook endpoints", query=ListQuery, response=Page[WebhookPublic], auth="user"
)
def list_webhooks(user: User, query: ListQuery) -> Page[WebhookPublic]:
    """List your webhook endpoints, newest first (never their secrets)."""
    return webhooks.list_webhooks(db_session(), user, query)


@bp.post("/webhooks")
@endpoint(
    summary="Register a webhook endpoint",
    body=WebhookCreate,
    response=WebhookCreated,
    status=201,
    auth="user",
)
def create_webhook(user: User, data: WebhookCreate) -> WebhookEndpoint:
    """Register a URL for your events; the answer holds its signing secret, shown only here."""
    return webhooks.create_webhook(db_session(), user, data)


@bp.get("/webhooks/<int:webhook_id>")
@endpoint(summary="Read a webhook endpoint", response=WebhookPublic, auth="user", errors=NOT_FOUND)
def read_webhook(user: User, webhook_id: int) -> WebhookEndpoint:
    """Return one webhook endpoint."""
    return webhooks.get_webhook(db_session(), user, webhook_id)


@bp.delete("/webhooks/<int:webhook_id>")
@endpoint(summary="Delete a webhook endpoint", status=204, auth="user", errors=NOT_FOUND)
def delete_webhook(user: User, webhook_id: int) -> None:
    """Delete a webhook endpoint and its deliveries."""
    webhooks.delete_webhook(db_session(), user, webhook_id)


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@endpoint(
    summary="List deliveries to a webhook endpoint",
    query=DeliveryQuery,
    response=Page[DeliveryPublic],
    auth="user",
    errors=NOT_FOUND,
)
def list_deliveries(user: User, webhook_id: int, query: DeliveryQuery) -> Page[DeliveryPublic]:
    """List the deliveries to an endpoint, newest first, each with its attempts."""
    return webhooks.list_deliveries(db_session(), user, webhook_id, query)


@bp.get("/events")
@endpoint(summary="List events", query=EventQuery, response=Page[EventPublic], auth="user")
def list_events(user: User, query: EventQuery) -> Page[EventPublic]:
    """List your events (the outbox the worker delivers from), newest first."""
    return events.list_events(db_session(), user, query)
