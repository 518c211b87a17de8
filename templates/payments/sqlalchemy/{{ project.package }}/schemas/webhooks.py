"""Webhook endpoint, event and delivery shapes."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core.outbox import MAX_URL_LENGTH, DeliveryStatus, EventType, url_problem
from .common import InputModel
from .fields import IdFilter, ListQuery, Text


class WebhookCreate(InputModel):
    """A URL to receive events, with an optional note."""

    # The document says "uri"; url_problem takes only http(s) ones with a host.
    url: Text = Field(min_length=1, max_length=MAX_URL_LENGTH, json_schema_extra={"format": "uri"})
    description: Text | None = Field(default=None, max_length=200)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        problem = url_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class WebhookPublic(BaseModel):
    """A webhook endpoint as lists show it (never the secret)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    url: str
    description: str | None
    created_at: datetime


class WebhookCreated(WebhookPublic):
    """A new endpoint with its signing secret, which no other response shows."""

    secret: str


class EventPublic(BaseModel):
    """An event of the outbox, with the object it is about."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    type: EventType
    payment_id: int | None
    data: dict[str, Any]
    created_at: datetime


class EventQuery(ListQuery):
    """Filters of ``GET /events`` (newest first)."""

    type: EventType | None = None
    payment_id: IdFilter | None = None


class AttemptPublic(BaseModel):
    """One attempt to deliver: when, the status code or the error, how long it took."""

    model_config = ConfigDict(from_attributes=True)

    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryPublic(BaseModel):
    """An event's delivery to one endpoint, with every attempt so far."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    webhook_id: int
    event_id: int
    event_type: EventType
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempts: list[AttemptPublic]


class DeliveryQuery(ListQuery):
    """Filters of ``GET /webhooks/{id}/deliveries`` (newest first)."""

    status: DeliveryStatus | None = None
