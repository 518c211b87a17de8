"""Idempotent charges and refunds that never exceed the capture, on the database.

``core/payment_rules.py`` decides, and explains how charging and refunding stay
safe under concurrency; this module writes the rows, in the request's session with
``with_for_update()`` and a conditional ``update()``.
"""

import json
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, Select, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core import payment_rules
from ..core.cards import card_brand, last4
from ..core.config import Settings
from ..core.errors import Conflict, NotFound, ValidationFailed
from ..core.outbox import EventType
from ..core.payment_rules import EntryType, PaymentStatus
from ..cursors import Key, parse_datetime, parse_id
from ..db import rows_matched, utcnow
from ..models.ledger import LedgerEntry
from ..models.payments import IdempotencyKey, Payment, Refund
from ..models.users import User
from ..schemas.common import MAX_ID, Page
from ..schemas.fields import ListQuery
from ..schemas.payments import (
    PaymentCreate,
    PaymentPage,
    PaymentPublic,
    PaymentQuery,
    RefundCreate,
    RefundPublic,
)
from . import processor
from .customers import owned_customer
from .events import record_event
from .keyset import keyset_page, paginate_keyset
from .pagination import paginate

# The list's one sort, newest first: (created_at, id) descending, the keys of the
# cursor; each filter has an index in this order (migration 0003_list_indexes).
SORT = "-created_at"
_SORT_KEYS = (
    Key(Payment.created_at, attrgetter("created_at"), parse_datetime),
    Key(Payment.id, attrgetter("id"), parse_id),
)


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else Payment.owner_id == user.id


def _stored(session: Session, user: User, key: str) -> IdempotencyKey | None:
    return session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.owner_id == user.id, IdempotencyKey.key == key)
    )


def create_payment(
    session: Session,
    user: User,
    data: PaymentCreate,
    idempotency_key: str | None,
    settings: Settings,
) -> payment_rules.ChargeResponse:
    """Charge a card once per idempotency key, and return the response to send.

    A failed charge (declined card) is a payment too: 201, status ``failed``.
    Retries with the same key and body replay the first response; with another
    body they are a ``Conflict``.
    """
    key = payment_rules.checked_key(idempotency_key)
    digest = payment_rules.request_hash(data.model_dump(mode="json"), settings.secret_key)
    for _ in range(payment_rules.CHARGE_TRIES):
        record = _stored(session, user, key)
        if record is not None:
            return payment_rules.replay(
                record.request_hash, record.status_code, record.response_body, digest
            )
        if data.customer_id is not None and owned_customer(session, user, data.customer_id) is None:
            raise ValidationFailed([{"field": "customer_id", "message": "No such customer"}])
        try:
            return _charge(session, user, data, key, digest)
        except IntegrityError:
            # Another request with this key committed first: replay its response.
            session.rollback()
    raise payment_rules.in_progress()


def _charge(
    session: Session, user: User, data: PaymentCreate, key: str, digest: str
) -> payment_rules.ChargeResponse:
    record = IdempotencyKey(owner_id=user.id, key=key, request_hash=digest)
    session.add(record)
    session.flush()  # claims the key first: a concurrent duplicate waits here
    payment = Payment(
        owner_id=user.id,
        customer_id=data.customer_id,
        amount=data.amount,
        amount_refunded=0,
        currency=data.currency,
        description=data.description,
        status=PaymentStatus.PENDING,
        card_brand=card_brand(data.card.number),
        card_last4=last4(data.card.number),
        card_exp_month=data.card.exp_month,
        card_exp_year=data.card.exp_year,
    )
    session.add(payment)
    session.flush()
    result = processor.charge(
        payment_id=payment.id, number=data.card.number, amount=data.amount, currency=data.currency
    )
    event_type = payment_rules.settle_charge(payment, result)
    if result.succeeded:
        session.add(
            LedgerEntry(
                owner_id=user.id,
                payment_id=payment.id,
                type=EntryType.CHARGE,
                amount=payment.amount,
                currency=payment.currency,
            )
        )
    session.flush()
    body = PaymentPublic.model_validate(payment).model_dump(mode="json")
    record_event(
        session,
        owner_id=user.id,
        event_type=event_type,
        data=body,
        payment_id=payment.id,
    )
    record.status_code = 201
    record.response_body = json.dumps(body)
    session.commit()
    return payment_rules.ChargeResponse(201, body)


def list_payments(session: Session, user: User, query: PaymentQuery) -> PaymentPage:
    """One page of the payments ``user`` may see, newest first, by offset or after a
    cursor; the total is counted up to 10,000."""
    statement: Select[Any] = select(Payment).where(_visible_to(user))
    if query.status is not None:
        statement = statement.where(Payment.status == query.status)
    if query.currency is not None:
        statement = statement.where(Payment.currency == query.currency)
    if query.customer_id is not None:
        statement = statement.where(Payment.customer_id == query.customer_id)
    found = paginate_keyset(session, statement, query, query.cursor, SORT, _SORT_KEYS)
    return keyset_page(PaymentPage, PaymentPublic, query, found)


def get_payment(
    session: Session, user: User, payment_id: int, *, for_update: bool = False
) -> Payment:
    """Return a payment ``user`` may see; anyone else's is ``NotFound``, not ``Forbidden``."""
    payment = None
    if 0 < payment_id <= MAX_ID:
        statement = select(Payment).where(Payment.id == payment_id, _visible_to(user))
        if for_update:
            # A row lock on PostgreSQL and MySQL; SQLite ignores it (its writers are
            # serialized, and the conditional update catches the rest). The row is
            # read afresh even if this session holds it already.
            statement = statement.with_for_update().execution_options(populate_existing=True)
        payment = session.scalar(statement)
    if payment is None:
        raise NotFound("Payment not found")
    return payment


def refund_payment(session: Session, user: User, payment_id: int, data: RefundCreate) -> Refund:
    """Refund part or all of what remains of a captured payment.

    Refunds of a payment never add up to more than its amount, also when requests
    race: the update matches only the amount refunded that was read.
    """
    for _ in range(payment_rules.REFUND_TRIES):
        payment = get_payment(session, user, payment_id, for_update=True)
        try:
            plan = payment_rules.plan_refund(
                status=payment.status,
                amount=payment.amount,
                amount_refunded=payment.amount_refunded,
                wanted=data.amount,
            )
        except Conflict:
            session.rollback()
            raise
        changed = rows_matched(
            session,
            update(Payment)
            .where(
                Payment.id == payment.id,
                Payment.amount_refunded == payment.amount_refunded,
                Payment.status == payment.status,
            )
            .values(amount_refunded=plan.amount_refunded, status=plan.status, updated_at=utcnow())
            .execution_options(synchronize_session=False),
        )
        if changed != 1:
            session.rollback()  # another refund won the race: read the payment again
            continue
        return _record_refund(session, payment, plan.amount, data.reason)
    raise payment_rules.refund_lost_the_race()


def _record_refund(session: Session, payment: Payment, amount: int, reason: str | None) -> Refund:
    refund = Refund(
        owner_id=payment.owner_id,
        payment_id=payment.id,
        amount=amount,
        currency=payment.currency,
        reason=reason,
    )
    session.add(refund)
    session.flush()
    session.add(
        LedgerEntry(
            owner_id=payment.owner_id,
            payment_id=payment.id,
            refund_id=refund.id,
            type=EntryType.REFUND,
            amount=-amount,
            currency=payment.currency,
        )
    )
    session.refresh(payment)
    record_event(
        session,
        owner_id=payment.owner_id,
        event_type=EventType.REFUND_CREATED,
        data={
            **RefundPublic.model_validate(refund).model_dump(mode="json"),
            "payment": PaymentPublic.model_validate(payment).model_dump(mode="json"),
        },
        payment_id=payment.id,
    )
    session.commit()
    return refund


def list_refunds(
    session: Session, user: User, payment_id: int, query: ListQuery
) -> Page[RefundPublic]:
    """One page of the refunds of a payment ``user`` may see, newest first."""
    payment = get_payment(session, user, payment_id)
    statement: Select[Any] = select(Refund).where(Refund.payment_id == payment.id)
    return paginate(session, statement, query, RefundPublic, [Refund.id.desc()])
