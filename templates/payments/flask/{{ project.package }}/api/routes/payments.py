"""Payments and refunds of the signed-in merchant (every one for an admin)."""

from flask import Blueprint, Response, jsonify, request

from ...core.payment_rules import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_HEADER_HELP,
    IDEMPOTENCY_KEY_SCHEMA,
)
from ...models.payments import Payment, Refund
from ...models.users import User
from ...schemas.common import Page
from ...schemas.fields import ListQuery
from ...schemas.payments import (
    PaymentCreate,
    PaymentPage,
    PaymentPublic,
    PaymentQuery,
    RefundCreate,
    RefundPublic,
)
from ...services import payments
from ..deps import app_settings, db_session
from ..endpoint import Header, endpoint

bp = Blueprint("payments", __name__, url_prefix="/payments")
NOT_FOUND = {404: "Payment not found"}


@bp.get("")
@endpoint(summary="List payments", query=PaymentQuery, response=PaymentPage, auth="user")
def list_payments(user: User, query: PaymentQuery) -> PaymentPage:
    """List your payments (an admin's lists every payment), newest first."""
    return payments.list_payments(db_session(), user, query)


@bp.post("")
@endpoint(
    summary="Charge a card",
    body=PaymentCreate,
    response=PaymentPublic,
    status=201,
    auth="user",
    errors={
        400: "Idempotency-Key header missing or malformed",
        409: "Idempotency-Key reused with another request",
    },
    headers=[
        Header(
            IDEMPOTENCY_HEADER,
            IDEMPOTENCY_HEADER_HELP,
            required=True,
            schema=IDEMPOTENCY_KEY_SCHEMA,
        )
    ],
)
def create_payment(user: User, data: PaymentCreate) -> Response:
    """Charge a card once per Idempotency-Key; a retry replays the first response."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    result = payments.create_payment(db_session(), user, data, key, app_settings())
    response = jsonify(result.body)
    response.status_code = result.status_code
    response.headers.update(result.headers)
    return response


@bp.get("/<int:payment_id>")
@endpoint(summary="Read a payment", response=PaymentPublic, auth="user", errors=NOT_FOUND)
def read_payment(user: User, payment_id: int) -> Payment:
    """Return one payment."""
    return payments.get_payment(db_session(), user, payment_id)


@bp.get("/<int:payment_id>/refunds")
@endpoint(
    summary="List refunds of a payment",
    query=ListQuery,
    response=Page[RefundPublic],
    auth="user",
    errors=NOT_FOUND,
)
def list_refunds(user: User, payment_id: int, query: ListQuery) -> Page[RefundPublic]:
    """List the refunds of a payment, newest first."""
    return payments.list_refunds(db_session(), user, payment_id, query)


@bp.post("/<int:payment_id>/refunds")
@endpoint(
    summary="Refund a payment",
    body=RefundCreate,
    response=RefundPublic,
    status=201,
    auth="user",
    errors={**NOT_FOUND, 409: "Not refundable, or more than what remains"},
)
def refund_payment(user: User, payment_id: int, data: RefundCreate) -> Refund:
    """Refund part of a payment, or all that remains when no amount is given."""
    return payments.refund_payment(db_session(), user, payment_id, data)
