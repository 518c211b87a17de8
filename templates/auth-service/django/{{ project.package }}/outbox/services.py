"""The outbox: messages to mail, written with the change they tell about."""

from django.db.models import QuerySet

from ..accounts.models import normalize_email
from .models import OutboxMessage


def enqueue(*, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message (call it inside the transaction of the change it tells about)."""
    return OutboxMessage.objects.create(
        recipient=normalize_email(recipient), subject=subject, body=body
    )


def list_messages(recipient: str | None = None) -> QuerySet[OutboxMessage]:
    """Messages, newest first, for one recipient if given."""
    messages = OutboxMessage.objects.order_by("-pk")
    if recipient is not None:
        messages = messages.filter(recipient=normalize_email(recipient))
    return messages
