"""Customer rules: a merchant sees their own customers, an admin sees all."""

from typing import Any

from django.db.models import QuerySet

from ..accounts.models import User
from ..core.errors import NotFound
from ..core.serializers import is_valid_id
from .models import Customer


def visible_to(user: User) -> QuerySet[Customer]:
    """The customers ``user`` may see (an admin: all)."""
    return Customer.objects.all() if user.is_admin else Customer.objects.filter(owner=user)


def list_customers(user: User, query: dict[str, Any]) -> QuerySet[Customer]:
    """The customers ``user`` may see, newest first, filtered by email."""
    customers = visible_to(user)
    if query.get("email") is not None:
        customers = customers.filter(email=query["email"].lower())
    return customers.order_by("-created_at", "-pk")


def create_customer(user: User, data: dict[str, Any]) -> Customer:
    """Create a customer of ``user``; emails are kept in lower case."""
    return Customer.objects.create(owner=user, name=data["name"], email=data["email"].lower())


def get_customer(user: User, customer_id: int | str) -> Customer:
    """Return a customer ``user`` may see; anyone else's is ``NotFound``."""
    customer = None
    if is_valid_id(customer_id):
        customer = visible_to(user).filter(pk=int(customer_id)).first()
    if customer is None:
        raise NotFound("Customer not found")
    return customer


def owned_customer(user: User, customer_id: int) -> Customer | None:
    """Return ``user``'s own customer with this id, if there is one (admins included)."""
    return Customer.objects.filter(pk=customer_id, owner=user).first()


def update_customer(user: User, customer_id: int | str, changes: dict[str, Any]) -> Customer:
    """Change the given fields of a customer."""
    customer = get_customer(user, customer_id)
    if "email" in changes:
        changes = {**changes, "email": changes["email"].lower()}
    for field, value in changes.items():
        setattr(customer, field, value)
    customer.save()
    return customer
