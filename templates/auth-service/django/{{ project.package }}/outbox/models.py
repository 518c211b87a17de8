"""Messages to mail: written in the same transaction as what they tell, sent by a worker.

No mail server comes with the project: the messages wait here, and admins can read
them at GET /admin/outbox while developing.
"""

from django.db import models


class OutboxMessage(models.Model):
    """One email to send."""

    recipient = models.CharField(max_length=320, db_index=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "outbox"

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}"
