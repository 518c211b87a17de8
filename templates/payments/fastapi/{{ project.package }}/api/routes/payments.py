"""Payments and refunds of the signed-in merchant (every one for an admin)."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, status
from fastapi.responses import JSONResponse

from ...core.payment_rules import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_HEADER_HELP,
    IDEMPOTENCY_KEY_SCHEMA,
)
from ...schemas.common import ErrorBody, Page
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
from ..deps import CurrentUser, SessionDep, SettingsDep
from ..responses import serialized

router = APIRouter(
    prefix="/payments",
    tags=["payments"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Payment not found"}
}


@router.get("", summary="List payments")
@serialized
def list_payments(
    session: SessionDep, user: CurrentUser, query: Annotated[PaymentQuery, Query()]
) -> PaymentPage:
    """List your payments (an admin's lists every payment), newest first."""
    return payments.list_payments(session, user, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentPublic,
    responses={
        400: {"model": ErrorBody, "description": "Idempotency-Key header missing or malformed"},
        409: {"model": ErrorBody, "description": "Idempotency-Key reused with another request"},
    },
    summary="Charge a card",
    # The key is required (its absence is the service's 400, not FastAPI's 422).
    openapi_extra={
        "parameters": [
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": True,
                "description": IDEMPOTENCY_HEADER_HELP,
                "schema": IDEMPOTENCY_KEY_SCHEMA,
            }
        ]
    },
)
def create_payment(
    data: PaymentCreate,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    # Optional here, so that a missing key is the service's 400, not a 422; the document
    # has the header as openapi_extra says it (required, with its schema).
    idempotency_key: Annotated[
        str | None, Header(alias=IDEMPOTENCY_HEADER, include_in_schema=False)
    ] = None,
) -> JSONResponse:
    """Charge a card once per Idempotency-Key; a retry replays the first response."""
    result = payments.create_payment(session, user, data, idempotency_key, settings)
    return JSONResponse(result.body, status_code=result.status_code, headers=result.headers)


@router.get(
    "/{payment_id:int}", response_model=PaymentPublic, responses=NOT_FOUND, summary="Read a payment"
)
def read_payment(payment_id: int, session: SessionDep, user: CurrentUser) -> Any:
    """Return one payment."""
    return payments.get_payment(session, user, payment_id)


@router.get("/{payment_id:int}/refunds", responses=NOT_FOUND, summary="List refunds of a payment")
@serialized
def list_refunds(
    payment_id: int, session: SessionDep, user: CurrentUser, query: Annotated[ListQuery, Query()]
) -> Page[RefundPublic]:
    """List the refunds of a payment, newest first."""
    return payments.list_refunds(session, user, payment_id, query)


@router.post(
    "/{payment_id:int}/refunds",
    status_code=status.HTTP_201_CREATED,
    response_model=RefundPublic,
    responses={
        **NOT_FOUND,
        409: {"model": ErrorBody, "description": "Not refundable, or more than what remains"},
    },
    summary="Refund a payment",
)
def refund_payment(
    payment_id: int, data: RefundCreate, session: SessionDep, user: CurrentUser
) -> Any:
    """Refund part of a payment, or all that remains when no amount is given."""
    return payments.refund_payment(session, user, payment_id, data)
