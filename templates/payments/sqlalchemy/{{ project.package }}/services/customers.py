"""Customer rules: a merchant sees their own customers, an admin sees all."""

from typing import Any

from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.orm import Session

from ..core.errors import NotFound
from ..models.customers import Customer
from ..models.users import User
from ..schemas.common import MAX_ID, Page
from ..schemas.customers import CustomerCreate, CustomerPublic, CustomerQuery, CustomerUpdate
from .pagination import paginate


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else Customer.owner_id == user.id


def list_customers(session: Session, user: User, query: CustomerQuery) -> Page[CustomerPublic]:
    """One page of the customers ``user`` may see, newest first."""
    statement: Select[Any] = select(Customer).where(_visible_to(user))
    if query.email is not None:
        statement = statement.where(Customer.email == query.email.lower())
    order = [Customer.created_at.desc(), Customer.id.desc()]
    return paginate(session, statement, query, CustomerPublic, order)


def create_customer(session: Session, user: User, data: CustomerCreate) -> Customer:
    """Create a customer of ``user``; emails are kept in lower case."""
    customer = Customer(owner_id=user.id, name=data.name, email=data.email.lower())
    session.add(customer)
    session.commit()
    return customer


def get_customer(session: Session, user: User, customer_id: int) -> Customer:
    """Return a customer ``user`` may see; anyone else's is ``NotFound``."""
    customer = None
    if 0 < customer_id <= MAX_ID:
        customer = session.scalar(
            select(Customer).where(Customer.id == customer_id, _visible_to(user))
        )
    if customer is None:
        raise NotFound("Customer not found")
    return customer


def owned_customer(session: Session, user: User, customer_id: int) -> Customer | None:
    """Return ``user``'s own customer with this id, if there is one (admins included)."""
    return session.scalar(
        select(Customer).where(Customer.id == customer_id, Customer.owner_id == user.id)
    )


def update_customer(
    session: Session, user: User, customer_id: int, data: CustomerUpdate
) -> Customer:
    """Change the given fields of a customer."""
    customer = get_customer(session, user, customer_id)
    changes = data.model_dump(exclude_unset=True)
    if "email" in changes:
        changes["email"] = changes["email"].lower()
    for field, value in changes.items():
        setattr(customer, field, value)
    session.commit()
    return customer
