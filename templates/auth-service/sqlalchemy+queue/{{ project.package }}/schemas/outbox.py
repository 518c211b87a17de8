"""Outbox messages, as admins read them (with the job queue: how their sending goes)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from .common import PageQuery


class OutboxMessagePublic(BaseModel):
    """One message to mail, and where its sending is."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime
    status: str = Field(description="pending, sent or failed")
    attempts: int
    sent_at: datetime | None
    last_error: str | None


class OutboxQuery(PageQuery):
    """Filters of ``GET /admin/outbox``."""

    recipient: str | None = Field(default=None, min_length=1, max_length=320)
