"""Webhook endpoints of the signed-in merchant, their deliveries, and the event outbox."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody, Page
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
from ..deps import CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    tags=["webhooks"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Webhook not found"}
}


@router.get("/webhooks", summary="List webhook endpoints")
@serialized
def list_webhooks(
    session: SessionDep, user: CurrentUser, query: Annotated[ListQuery, Query()]
) -> Page[WebhookPublic]:
    """List your webhook endpoints, newest first (never their secrets)."""
    return webhooks.list_webhooks(session, user, query)


@router.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    summary="Register a webhook endpoint",
)
def create_webhook(data: WebhookCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Register a URL for your events; the answer holds its signing secret, shown only here."""
    return webhooks.create_webhook(session, user, data)


@router.get(
    "/webhooks/{webhook_id:int}",
    response_model=WebhookPublic,
    responses=NOT_FOUND,
    summary="Read a webhook endpoint",
)
def read_webhook(webhook_id: int, session: SessionDep, user: CurrentUser) -> Any:
    """Return one webhook endpoint."""
    return webhooks.get_webhook(session, user, webhook_id)


@router.delete(
    "/webhooks/{webhook_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
    summary="Delete a webhook endpoint",
)
def delete_webhook(webhook_id: int, session: SessionDep, user: CurrentUser) -> None:
    """Delete a webhook endpoint and its deliveries."""
    webhooks.delete_webhook(session, user, webhook_id)


@router.get(
    "/webhooks/{webhook_id:int}/deliveries",
    responses=NOT_FOUND,
    summary="List deliveries to a webhook endpoint",
)
@serialized
def list_deliveries(
    webhook_id: int,
    session: SessionDep,
    user: CurrentUser,
    query: Annotated[DeliveryQuery, Query()],
) -> Page[DeliveryPublic]:
    """List the deliveries to an endpoint, newest first, each with its attempts."""
    return webhooks.list_deliveries(session, user, webhook_id, query)


@router.get("/events", summary="List events")
@serialized
def list_events(
    session: SessionDep, user: CurrentUser, query: Annotated[EventQuery, Query()]
) -> Page[EventPublic]:
    """List your events (the outbox the worker delivers from), newest first."""
    return events.list_events(session, user, query)
