"""Outbox messages, as admins read them."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from .common import PageQuery


class OutboxMessagePublic(BaseModel):
    """One message waiting to be mailed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime


class OutboxQuery(PageQuery):
    """Filters of ``GET /admin/outbox``."""

    recipient: str | None = Field(default=None, min_length=1, max_length=320)
