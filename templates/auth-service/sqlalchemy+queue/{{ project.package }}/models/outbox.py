"""Messages to mail: written in the same transaction as what they tell, sent by the worker.

With the job queue (feature "queue"), each message is enqueued after its commit and
the worker (``python -m <package>.worker``) sends it over SMTP: ``status`` goes from
pending to sent, or to failed after ``MAIL_MAX_ATTEMPTS``; ``next_attempt_at`` is when
a pending message is due (or until when a worker's claim holds it).
"""

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class OutboxMessage(Base):
    """One email to send."""

    __tablename__ = "outbox"
    # The sweeper's question: the pending messages that are due.
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(32), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
