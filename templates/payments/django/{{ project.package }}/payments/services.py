"""Idempotent charges and refunds that never exceed the capture, on the database.

``core/payment_rules.py`` decides, and explains how charging and refunding stay
safe under concurrency; this module writes the rows, in ``transaction.atomic()``
blocks with ``select_for_update()`` and a filtered ``update()``.
"""

import json
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ..accounts.models import User
from ..core import payment_rules
from ..core.cards import card_brand, last4
from ..core.errors import NotFound, ValidationFailed
from ..core.keyset import Listing, Values
from ..core.serializers import is_valid_id
from ..cursors import Key, parse_datetime, parse_id
from ..customers.services import owned_customer
from ..ledger.models import EntryType, LedgerEntry
from ..webhooks.events import record_event
from ..webhooks.models import EventType
from . import processor
from .models import IdempotencyKey, Payment, PaymentStatus, Refund
from .serializers import PaymentSerializer, RefundSerializer

# The list's one sort, newest first: (created_at, id) descending, the keys of the cursor
# (read from the page's serialized items); each filter has an index in this order.
SORT = "-created_at"
SORT_KEYS = (
    Key(F("created_at"), itemgetter("created_at"), parse_datetime),
    Key(F("pk"), itemgetter("id"), parse_id),
)


def visible_to(user: User) -> QuerySet[Payment]:
    """The payments ``user`` may see (an admin: all)."""
    return Payment.objects.all() if user.is_admin else Payment.objects.filter(owner=user)


def create_payment(
    user: User, data: dict[str, Any], idempotency_key: str | None
) -> payment_rules.ChargeResponse:
    """Charge a card once per idempotency key, and return the response to send.

    A failed charge (declined card) is a payment too: 201, status ``failed``.
    Retries with the same key and body replay the first response; with another
    body they are a ``Conflict``.
    """
    key = payment_rules.checked_key(idempotency_key)
    digest = payment_rules.request_hash(payment_rules.canonical_request(data), settings.SECRET_KEY)
    for _ in range(payment_rules.CHARGE_TRIES):
        record = IdempotencyKey.objects.filter(owner=user, key=key).first()
        if record is not None:
            return payment_rules.replay(
                record.request_hash, record.status_code, record.response_body, digest
            )
        customer_id = data.get("customer_id")
        if customer_id is not None and owned_customer(user, customer_id) is None:
            raise ValidationFailed([{"field": "customer_id", "message": "No such customer"}])
        try:
            return _charge(user, data, key, digest)
        except IntegrityError:
            # Another request with this key committed first: replay its response.
            continue
    raise payment_rules.in_progress()


@transaction.atomic
def _charge(
    user: User, data: dict[str, Any], key: str, digest: str
) -> payment_rules.ChargeResponse:
    # Claims the key first: a concurrent duplicate waits here, then fails on the constraint.
    record = IdempotencyKey.objects.create(owner=user, key=key, request_hash=digest)
    card = data["card"]
    payment = Payment.objects.create(
        owner=user,
        customer_id=data.get("customer_id"),
        amount=data["amount"],
        amount_refunded=0,
        currency=data["currency"],
        description=data.get("description"),
        status=PaymentStatus.PENDING,
        card_brand=card_brand(card["number"]),
        card_last4=last4(card["number"]),
        card_exp_month=card.get("exp_month"),
        card_exp_year=card.get("exp_year"),
    )
    result = processor.charge(
        payment_id=payment.pk,
        number=card["number"],
        amount=payment.amount,
        currency=payment.currency,
    )
    event_type = payment_rules.settle_charge(payment, result)
    if result.succeeded:
        LedgerEntry.objects.create(
            owner=user,
            payment=payment,
            type=EntryType.CHARGE,
            amount=payment.amount,
            currency=payment.currency,
        )
    payment.save()
    body = dict(PaymentSerializer(payment).data)
    record_event(
        owner_id=user.pk,
        event_type=EventType(event_type),
        data=body,
        payment_id=payment.pk,
    )
    record.status_code = 201
    record.response_body = json.dumps(body)
    record.save(update_fields=["status_code", "response_body"])
    return payment_rules.ChargeResponse(201, body)


def list_payments(user: User, query: dict[str, Any]) -> Listing:
    """The payments ``user`` may see (as ``visible_to``), newest first, filtered by
    status, currency, customer: a ``Listing``, compiled once per shape."""
    values = {} if user.is_admin else {"owner_id": user.pk}
    for name in ("status", "currency", "customer_id"):
        if query.get(name) is not None:
            values[name] = query[name]
    return Listing("payments", values, Payment, _payments)


def _payments(values: Values) -> QuerySet[Payment]:
    return Payment.objects.filter(**values).order_by("-created_at", "-pk")


def get_payment(user: User, payment_id: int | str, *, for_update: bool = False) -> Payment:
    """Return a payment ``user`` may see; anyone else's is ``NotFound``, not ``Forbidden``."""
    payment = None
    if is_valid_id(payment_id):
        payments = visible_to(user)
        if for_update:
            # A row lock on PostgreSQL and MySQL; SQLite has none (its writers are
            # serialized, and the conditional update catches the rest).
            payments = payments.select_for_update()
        payment = payments.filter(pk=int(payment_id)).first()
    if payment is None:
        raise NotFound("Payment not found")
    return payment


def refund_payment(user: User, payment_id: int | str, data: dict[str, Any]) -> Refund:
    """Refund part or all of what remains of a captured payment.

    Refunds of a payment never add up to more than its amount, also when requests
    race: the update matches only the amount refunded that was read.
    """
    for _ in range(payment_rules.REFUND_TRIES):
        refund = _try_refund(user, payment_id, data.get("amount"), data.get("reason"))
        if refund is not None:
            return refund
    raise payment_rules.refund_lost_the_race()


@transaction.atomic
def _try_refund(
    user: User, payment_id: int | str, wanted: int | None, reason: str | None
) -> Refund | None:
    payment = get_payment(user, payment_id, for_update=True)
    plan = payment_rules.plan_refund(
        status=payment.status,
        amount=payment.amount,
        amount_refunded=payment.amount_refunded,
        wanted=wanted,
    )
    changed = Payment.objects.filter(
        pk=payment.pk, amount_refunded=payment.amount_refunded, status=payment.status
    ).update(
        amount_refunded=plan.amount_refunded,
        status=PaymentStatus(plan.status),
        updated_at=timezone.now(),
    )
    if changed != 1:
        return None  # another refund won the race: read the payment again
    payment.refresh_from_db()
    refund = Refund.objects.create(
        owner_id=payment.owner_id,
        payment=payment,
        amount=plan.amount,
        currency=payment.currency,
        reason=reason,
    )
    LedgerEntry.objects.create(
        owner_id=payment.owner_id,
        payment=payment,
        refund=refund,
        type=EntryType.REFUND,
        amount=-plan.amount,
        currency=payment.currency,
    )
    record_event(
        owner_id=payment.owner_id,
        event_type=EventType.REFUND_CREATED,
        data={**RefundSerializer(refund).data, "payment": dict(PaymentSerializer(payment).data)},
        payment_id=payment.pk,
    )
    return refund


def list_refunds(user: User, payment_id: int | str) -> QuerySet[Refund]:
    """The refunds of a payment ``user`` may see, newest first."""
    payment = get_payment(user, payment_id)
    return Refund.objects.filter(payment=payment).order_by("-pk")
