"""Customers of the signed-in merchant (every customer for an admin)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody, Page
from ...schemas.customers import CustomerCreate, CustomerPublic, CustomerQuery, CustomerUpdate
from ...services import customers
from ..deps import CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/customers",
    tags=["customers"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Customer not found"}
}


@router.get("", summary="List customers")
@serialized
def list_customers(
    session: SessionDep, user: CurrentUser, query: Annotated[CustomerQuery, Query()]
) -> Page[CustomerPublic]:
    """List your customers (an admin's lists every customer), newest first."""
    return customers.list_customers(session, user, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CustomerPublic,
    summary="Create a customer",
)
def create_customer(data: CustomerCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Create a customer of yours."""
    return customers.create_customer(session, user, data)


@router.get(
    "/{customer_id:int}",
    response_model=CustomerPublic,
    responses=NOT_FOUND,
    summary="Read a customer",
)
def read_customer(customer_id: int, session: SessionDep, user: CurrentUser) -> Any:
    """Return one customer."""
    return customers.get_customer(session, user, customer_id)


@router.patch(
    "/{customer_id:int}",
    response_model=CustomerPublic,
    responses=NOT_FOUND,
    summary="Change a customer",
)
def update_customer(
    customer_id: int, data: CustomerUpdate, session: SessionDep, user: CurrentUser
) -> Any:
    """Change a customer's name or email."""
    return customers.update_customer(session, user, customer_id, data)
