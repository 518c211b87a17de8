"""The outbox: an event and its deliveries, added to the session of the change they report.

Nothing here commits: the caller's transaction writes the change and its events
together, or neither; the worker (``python -m <package>.worker``) sends them later.
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.orm import Session

from ..core.outbox import DeliveryStatus, EventType, event_body
from ..db import utcnow
from ..models.users import User
from ..models.webhooks import Delivery, Event, WebhookEndpoint
from ..schemas.common import Page
from ..schemas.webhooks import EventPublic, EventQuery
from .pagination import paginate


def record_event(
    session: Session,
    *,
    owner_id: int,
    event_type: EventType,
    data: dict[str, Any],
    payment_id: int | None,
) -> Event:
    """Add an event and one pending delivery per webhook endpoint of ``owner_id``."""
    now = utcnow()
    event = Event(
        owner_id=owner_id, type=event_type, payment_id=payment_id, body="", created_at=now
    )
    session.add(event)
    session.flush()  # the id goes into the body
    event.body = event_body(event.id, event_type, now, data)
    endpoints = session.scalars(
        select(WebhookEndpoint.id).where(WebhookEndpoint.owner_id == owner_id)
    ).all()
    for endpoint_id in endpoints:
        session.add(
            Delivery(
                event_id=event.id,
                endpoint_id=endpoint_id,
                status=DeliveryStatus.PENDING,
                attempt_count=0,
                next_attempt_at=now,
            )
        )
    return event


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else Event.owner_id == user.id


def list_events(session: Session, user: User, query: EventQuery) -> Page[EventPublic]:
    """One page of the events ``user`` may see, newest first."""
    statement: Select[Any] = select(Event).where(_visible_to(user))
    if query.type is not None:
        statement = statement.where(Event.type == query.type)
    if query.payment_id is not None:
        statement = statement.where(Event.payment_id == query.payment_id)
    return paginate(session, statement, query, EventPublic, [Event.id.desc()])
