"""Payment rules without the database: statuses, idempotency keys, refunds, balances.

pending -> succeeded | failed; succeeded -> partially_refunded | refunded. A refund
takes part or all of what remains of the captured amount, never more. What is
decided is decided here; each framework's payment services read and write the rows,
the same way:

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from .errors import AppError, Conflict
from .outbox import EventType

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
#: How the OpenAPI documents describe the header.
IDEMPOTENCY_HEADER_HELP = (
    f"1 to {MAX_KEY_LENGTH} printable ASCII characters; a retry with the same key and body "
    "replays the first response"
)
#: The header's schema in the OpenAPI document of every stack: what checked_key takes.
IDEMPOTENCY_KEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_KEY_LENGTH,
    "pattern": "^[ -~]*[!-~][ -~]*$",
}
# A retry that lost the race to the first request replays its response; these
# bound how often a request re-reads before it gives up with a 409.
CHARGE_TRIES = 3
REFUND_TRIES = 5


class PaymentStatus(StrEnum):
    """pending -> succeeded | failed; succeeded -> partially_refunded | refunded."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class EntryType(StrEnum):
    """A charge adds its amount to the balance, a refund takes its amount away."""

    CHARGE = "charge"
    REFUND = "refund"


#: The statuses of a payment whose amount was captured (and may be refunded).
CAPTURED = frozenset(
    {PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}
)
#: The statuses a refund may start from.
REFUNDABLE = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED})


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


def checked_key(key: str | None) -> str:
    """The ``Idempotency-Key``: 1 to 255 printable ASCII characters, not only spaces."""
    if key is None or not 0 < len(key) <= MAX_KEY_LENGTH:
        raise IdempotencyKeyRequired()
    if not all(" " <= char <= "~" for char in key) or not key.strip():
        raise IdempotencyKeyRequired()
    return key


def canonical_request(data: Mapping[str, Any]) -> dict[str, Any]:
    """The validated request with every field present, so that "left out" equals null."""
    card = data["card"]
    return {
        "amount": data["amount"],
        "currency": data["currency"],
        "description": data.get("description"),
        "customer_id": data.get("customer_id"),
        "card": {name: card.get(name) for name in ("number", "exp_month", "exp_year", "cvc")},
    }


def request_hash(data: Mapping[str, Any], secret_key: str) -> str:
    """An HMAC of the validated request, keyed with the secret key.

    The request holds the card number: a plain hash of it could be reversed by
    trying every number with the same last four digits.
    """
    canonical = json.dumps(canonical_request(data), sort_keys=True, separators=(",", ":"))
    return hmac.new(secret_key.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def replay(
    stored_hash: str, status_code: int | None, response_body: str | None, digest: str
) -> ChargeResponse:
    """The stored response to a key, for a retry whose request hashes to ``digest``."""
    if not hmac.compare_digest(stored_hash, digest):
        raise Conflict(f"This {IDEMPOTENCY_HEADER} was already used with a different request")
    if status_code is None or response_body is None:
        # Not reachable while the key and the response are committed together.
        raise Conflict(f"A request with this {IDEMPOTENCY_HEADER} is still in progress")
    return ChargeResponse(
        status_code,
        json.loads(response_body),
        replayed=True,
        headers={"Idempotent-Replayed": "true"},
    )


def in_progress() -> Conflict:
    """The error of a charge that kept losing the race to another with its key."""
    return Conflict(f"A request with this {IDEMPOTENCY_HEADER} is still in progress; retry")


class ProcessorAnswer(Protocol):
    """What the card processor answered (its ``ChargeResult``, read-only)."""

    @property
    def succeeded(self) -> bool: ...
    @property
    def failure_code(self) -> str | None: ...
    @property
    def failure_message(self) -> str | None: ...


def settle_charge(payment: Any, answer: ProcessorAnswer) -> EventType:
    """Set a pending payment's status (and failure) from the processor's answer.

    Returns:
        The type of the event that reports the charge.
    """
    if answer.succeeded:
        payment.status = PaymentStatus.SUCCEEDED
        return EventType.PAYMENT_SUCCEEDED
    payment.status = PaymentStatus.FAILED
    payment.failure_code = answer.failure_code
    payment.failure_message = answer.failure_message
    return EventType.PAYMENT_FAILED


def amount_captured(amount: int, status: str) -> int:
    """The amount taken from the card: all of it once it succeeded, else nothing."""
    return amount if status in CAPTURED else 0


def card_view(
    brand: str, last4: str, exp_month: int | None, exp_year: int | None
) -> dict[str, Any]:
    """What the API shows of a card."""
    return {"brand": brand, "last4": last4, "exp_month": exp_month, "exp_year": exp_year}


@dataclass(frozen=True)
class RefundPlan:
    """A refund that fits: its amount, and the payment's refunded total and status after it."""

    amount: int
    amount_refunded: int
    status: PaymentStatus


def plan_refund(
    *, status: str, amount: int, amount_refunded: int, wanted: int | None
) -> RefundPlan:
    """Check a refund of ``wanted`` (None: what remains) against a payment as it was read.

    Raises:
        Conflict: The payment is not refundable, or ``wanted`` exceeds what remains.
    """
    if status not in REFUNDABLE:
        raise Conflict(f"A {status} payment cannot be refunded")
    remaining = amount - amount_refunded
    refund = remaining if wanted is None else wanted
    if refund > remaining:
        raise Conflict(f"The refund exceeds the {remaining} left to refund")
    refunded = amount_refunded + refund
    new_status = PaymentStatus.REFUNDED if refunded == amount else PaymentStatus.PARTIALLY_REFUNDED
    return RefundPlan(refund, refunded, new_status)


def refund_lost_the_race() -> Conflict:
    """The error of a refund that kept losing the race to others of its payment."""
    return Conflict("The payment changed while refunding; retry")


def currency_balance(currency: str, charged: Any, refunded: Any) -> dict[str, Any]:
    """One line of ``GET /balance`` from the summed charges and refunds of a currency.

    SUM of a BIGINT is a DECIMAL on PostgreSQL and MySQL, and None over no rows:
    both become exact integers here. ``refunded`` is counted positive.
    """
    captured, returned = int(charged or 0), int(refunded or 0)
    return {
        "currency": currency,
        "captured": captured,
        "refunded": returned,
        "net": captured - returned,
    }
