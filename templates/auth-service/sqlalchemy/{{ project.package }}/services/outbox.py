"""The outbox: messages to mail, written with the change they tell about."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models.outbox import OutboxMessage
from ..schemas.common import Page
from ..schemas.outbox import OutboxMessagePublic, OutboxQuery
from .pagination import paginate
from .users import normalize_email


def enqueue(session: Session, *, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message; it is saved when the caller commits its own change."""
    message = OutboxMessage(recipient=normalize_email(recipient), subject=subject, body=body)
    session.add(message)
    return message


def list_messages(session: Session, query: OutboxQuery) -> Page[OutboxMessagePublic]:
    """One page of messages, newest first, for one recipient if given."""
    statement = select(OutboxMessage)
    if query.recipient is not None:
        statement = statement.where(OutboxMessage.recipient == normalize_email(query.recipient))
    return paginate(session, statement, query, OutboxMessagePublic, [OutboxMessage.id.desc()])
