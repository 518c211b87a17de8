"""Messages to mail: written in the same transaction as what they tell, sent by the worker.

With the job queue (feature "queue"), each message is enqueued after its commit and
the worker (``python -m <package>.worker``) sends it over SMTP: ``status`` goes from
pending to sent, or to failed after ``MAIL_MAX_ATTEMPTS``; ``next_attempt_at`` is when
a pending message is due (or until when a worker's claim holds it).
"""

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """One email to send."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    recipient = models.CharField(max_length=320, db_index=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.CharField(max_length=32, null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "outbox"
        # The sweeper's question: the pending messages that are due.
        indexes = (models.Index(fields=("status", "next_attempt_at"), name="outbox_due"),)

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}"
