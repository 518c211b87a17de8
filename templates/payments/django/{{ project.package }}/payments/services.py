"""Payment rules: idempotent charges, the status machine, refunds that never exceed the capture.

Charging: the ``(user, Idempotency-Key)`` row is inserted first, in the transaction
that creates and charges the payment and stores the response. A concurrent request
with the same key blocks on that row (PostgreSQL, MySQL) or on the write lock
(SQLite) until the first commits, then fails on the unique constraint and replays
the stored response: one key never makes two payments.

Refunding: the payment row is locked (``SELECT ... FOR UPDATE`` where the database
has it) and changed with a conditional update that only matches the amounts that
were read; a refund that lost a race re-reads and is checked again.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..accounts.models import User
from ..core.cards import card_brand, last4
from ..core.errors import AppError, Conflict, NotFound, ValidationFailed
from ..core.serializers import is_valid_id
from ..customers.services import owned_customer
from ..ledger.models import EntryType, LedgerEntry
from ..webhooks.events import record_event
from ..webhooks.models import EventType
from . import processor
from .models import REFUNDABLE, IdempotencyKey, Payment, PaymentStatus, Refund
from .serializers import PaymentSerializer, RefundSerializer

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# A retry that lost the race to the first request replays its response; these
# bound how often a request re-reads before it gives up with a 409.
CHARGE_TRIES = 3
REFUND_TRIES = 5


class IdempotencyKeyRequired(AppError):
    """``POST /payments`` came without a usable ``Idempotency-Key`` header."""

    status_code = 400
    detail = (
        f"The {IDEMPOTENCY_HEADER} header is required: "
        f"1 to {MAX_KEY_LENGTH} printable ASCII characters"
    )


@dataclass(frozen=True)
class ChargeResponse:
    """The response to a charge: the first one, or its replay."""

    status_code: int
    body: dict[str, Any]
    replayed: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def visible_to(user: User) -> QuerySet[Payment]:
    """The payments ``user`` may see (an admin: all)."""
    return Payment.objects.all() if user.is_admin else Payment.objects.filter(owner=user)


def checked_key(key: str | None) -> str:
    """The ``Idempotency-Key``: 1 to 255 printable ASCII characters, not only spaces."""
    if key is None or not 0 < len(key) <= MAX_KEY_LENGTH:
        raise IdempotencyKeyRequired()
    if not all(" " <= char <= "~" for char in key) or not key.strip():
        raise IdempotencyKeyRequired()
    return key


def canonical_request(data: dict[str, Any]) -> dict[str, Any]:
    """The validated request with every field present, so that "left out" equals null."""
    card = data["card"]
    return {
        "amount": data["amount"],
        "currency": data["currency"],
        "description": data.get("description"),
        "customer_id": data.get("customer_id"),
        "card": {name: card.get(name) for name in ("number", "exp_month", "exp_year", "cvc")},
    }


def request_hash(data: dict[str, Any]) -> str:
    """An HMAC of the validated request, keyed with the secret key.

    The request holds the card number: a plain hash of it could be reversed by
    trying every number with the same last four digits.
    """
    canonical = json.dumps(canonical_request(data), sort_keys=True, separators=(",", ":"))
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _replay(record: IdempotencyKey, digest: str) -> ChargeResponse:
    if not hmac.compare_digest(record.request_hash, digest):
        raise Conflict(f"This {IDEMPOTENCY_HEADER} was already used with a different request")
    if record.status_code is None or record.response_body is None:
        # Not reachable while the key and the response are committed together.
        raise Conflict(f"A request with this {IDEMPOTENCY_HEADER} is still in progress")
    return ChargeResponse(
        record.status_code,
        json.loads(record.response_body),
        replayed=True,
        headers={"Idempotent-Replayed": "true"},
    )


def create_payment(user: User, data: dict[str, Any], idempotency_key: str | None) -> ChargeResponse:
    """Charge a card once per idempotency key, and return the response to send.

    A failed charge (declined card) is a payment too: 201, status ``failed``.
    Retries with the same key and body replay the first response; with another
    body they are a ``Conflict``.
    """
    key = checked_key(idempotency_key)
    digest = request_hash(data)
    for _ in range(CHARGE_TRIES):
        record = IdempotencyKey.objects.filter(owner=user, key=key).first()
        if record is not None:
            return _replay(record, digest)
        customer_id = data.get("customer_id")
        if customer_id is not None and owned_customer(user, customer_id) is None:
            raise ValidationFailed([{"field": "customer_id", "message": "No such customer"}])
        try:
            return _charge(user, data, key, digest)
        except IntegrityError:
            # Another request with this key committed first: replay its response.
            continue
    raise Conflict(f"A request with this {IDEMPOTENCY_HEADER} is still in progress; retry")


@transaction.atomic
def _charge(user: User, data: dict[str, Any], key: str, digest: str) -> ChargeResponse:
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
    if result.succeeded:
        payment.status = PaymentStatus.SUCCEEDED
        LedgerEntry.objects.create(
            owner=user,
            payment=payment,
            type=EntryType.CHARGE,
            amount=payment.amount,
            currency=payment.currency,
        )
    else:
        payment.status = PaymentStatus.FAILED
        payment.failure_code = result.failure_code
        payment.failure_message = result.failure_message
    payment.save()
    body = dict(PaymentSerializer(payment).data)
    record_event(
        owner_id=user.pk,
        event_type=EventType.PAYMENT_SUCCEEDED if result.succeeded else EventType.PAYMENT_FAILED,
        data=body,
        payment_id=payment.pk,
    )
    record.status_code = 201
    record.response_body = json.dumps(body)
    record.save(update_fields=["status_code", "response_body"])
    return ChargeResponse(201, body)


def list_payments(user: User, query: dict[str, Any]) -> QuerySet[Payment]:
    """The payments ``user`` may see, newest first, filtered by status, currency, customer."""
    payments = visible_to(user)
    for name in ("status", "currency", "customer_id"):
        if query.get(name) is not None:
            payments = payments.filter(**{name: query[name]})
    return payments.order_by("-created_at", "-pk")


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
    for _ in range(REFUND_TRIES):
        refund = _try_refund(user, payment_id, data.get("amount"), data.get("reason"))
        if refund is not None:
            return refund
    raise Conflict("The payment changed while refunding; retry")


@transaction.atomic
def _try_refund(
    user: User, payment_id: int | str, wanted: int | None, reason: str | None
) -> Refund | None:
    payment = get_payment(user, payment_id, for_update=True)
    if payment.status not in REFUNDABLE:
        raise Conflict(f"A {payment.status} payment cannot be refunded")
    remaining = payment.amount - payment.amount_refunded
    amount = remaining if wanted is None else wanted
    if amount > remaining:
        raise Conflict(f"The refund exceeds the {remaining} left to refund")
    refunded = payment.amount_refunded + amount
    status = PaymentStatus.PARTIALLY_REFUNDED
    if refunded == payment.amount:
        status = PaymentStatus.REFUNDED
    changed = Payment.objects.filter(
        pk=payment.pk, amount_refunded=payment.amount_refunded, status=payment.status
    ).update(amount_refunded=refunded, status=status, updated_at=timezone.now())
    if changed != 1:
        return None  # another refund won the race: read the payment again
    payment.refresh_from_db()
    refund = Refund.objects.create(
        owner_id=payment.owner_id,
        payment=payment,
        amount=amount,
        currency=payment.currency,
        reason=reason,
    )
    LedgerEntry.objects.create(
        owner_id=payment.owner_id,
        payment=payment,
        refund=refund,
        type=EntryType.REFUND,
        amount=-amount,
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
