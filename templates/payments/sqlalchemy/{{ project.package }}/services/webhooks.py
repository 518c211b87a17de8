"""Webhook endpoints of a merchant, and the deliveries made to them."""

from typing import Any

from sqlalchemy import ColumnElement, Select, delete, select, true
from sqlalchemy.orm import Session

from ..core.errors import NotFound
from ..core.outbox import new_secret
from ..models.users import User
from ..models.webhooks import Delivery, WebhookEndpoint
from ..schemas.common import MAX_ID, Page
from ..schemas.fields import ListQuery
from ..schemas.webhooks import DeliveryPublic, DeliveryQuery, WebhookCreate, WebhookPublic
from .pagination import paginate


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else WebhookEndpoint.owner_id == user.id


def create_webhook(session: Session, user: User, data: WebhookCreate) -> WebhookEndpoint:
    """Register an endpoint of ``user``; the caller shows its secret this once."""
    endpoint = WebhookEndpoint(
        owner_id=user.id, url=data.url, description=data.description, secret=new_secret()
    )
    session.add(endpoint)
    session.commit()
    return endpoint


def list_webhooks(session: Session, user: User, query: ListQuery) -> Page[WebhookPublic]:
    """One page of the endpoints ``user`` may see, newest first."""
    statement: Select[Any] = select(WebhookEndpoint).where(_visible_to(user))
    order = [WebhookEndpoint.created_at.desc(), WebhookEndpoint.id.desc()]
    return paginate(session, statement, query, WebhookPublic, order)


def get_webhook(session: Session, user: User, webhook_id: int) -> WebhookEndpoint:
    """Return an endpoint ``user`` may see; anyone else's is ``NotFound``."""
    endpoint = None
    if 0 < webhook_id <= MAX_ID:
        endpoint = session.scalar(
            select(WebhookEndpoint).where(WebhookEndpoint.id == webhook_id, _visible_to(user))
        )
    if endpoint is None:
        raise NotFound("Webhook not found")
    return endpoint


def delete_webhook(session: Session, user: User, webhook_id: int) -> None:
    """Delete an endpoint; the database deletes its deliveries and their attempts."""
    endpoint = get_webhook(session, user, webhook_id)
    session.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint.id))
    session.commit()


def list_deliveries(
    session: Session, user: User, webhook_id: int, query: DeliveryQuery
) -> Page[DeliveryPublic]:
    """One page of the deliveries to an endpoint, newest first, with their attempts."""
    endpoint = get_webhook(session, user, webhook_id)
    statement: Select[Any] = select(Delivery).where(Delivery.endpoint_id == endpoint.id)
    if query.status is not None:
        statement = statement.where(Delivery.status == query.status)
    return paginate(session, statement, query, DeliveryPublic, [Delivery.id.desc()])
