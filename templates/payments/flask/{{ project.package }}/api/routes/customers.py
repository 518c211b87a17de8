"""Customers of the signed-in merchant (every customer for an admin)."""

from flask import Blueprint

from ...models.customers import Customer
from ...models.users import User
from ...schemas.common import Page
from ...schemas.customers import CustomerCreate, CustomerPublic, CustomerQuery, CustomerUpdate
from ...services import customers
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("customers", __name__, url_prefix="/customers")
NOT_FOUND = {404: "Customer not found"}


@bp.get("")
@endpoint(summary="List customers", query=CustomerQuery, response=Page[CustomerPublic], auth="user")
def list_customers(user: User, query: CustomerQuery) -> Page[CustomerPublic]:
    """List your customers (an admin's lists every customer), newest first."""
    return customers.list_customers(db_session(), user, query)


@bp.post("")
@endpoint(
    summary="Create a customer",
    body=CustomerCreate,
    response=CustomerPublic,
    status=201,
    auth="user",
)
def create_customer(user: User, data: CustomerCreate) -> Customer:
    """Create a customer of yours."""
    return customers.create_customer(db_session(), user, data)


@bp.get("/<int:customer_id>")
@endpoint(summary="Read a customer", response=CustomerPublic, auth="user", errors=NOT_FOUND)
def read_customer(user: User, customer_id: int) -> Customer:
    """Return one customer."""
    return customers.get_customer(db_session(), user, customer_id)


@bp.patch("/<int:customer_id>")
@endpoint(
    summary="Change a customer",
    body=CustomerUpdate,
    response=CustomerPublic,
    auth="user",
    errors=NOT_FOUND,
)
def update_customer(user: User, customer_id: int, data: CustomerUpdate) -> Customer:
    """Change a customer's name or email."""
    return customers.update_customer(db_session(), user, customer_id, data)
