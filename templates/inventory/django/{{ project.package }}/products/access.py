"""Who may do what: viewers read, managers also move stock, admins also manage the catalog.

Every signed-in user reads; a signed-in user without the role gets 403, a request
without a token 401 (DRF answers that before the role is looked at).
"""

from typing import ClassVar

from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from ..accounts.models import Role
from ..core.authentication import viewer
from ..core.catalog_rules import has_role, role_required

READ_ACTIONS = frozenset({"list", "retrieve"})


class HasRole(BasePermission):
    """A signed-in user with ``role`` or a stronger one."""

    role: ClassVar[Role] = Role.ADMIN

    @property
    def message(self) -> str:
        """The 403's detail."""
        return role_required(self.role)

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Whether the user's role is strong enough."""
        user = viewer(request)
        return bool(user and has_role(user.role, self.role))


class IsManager(HasRole):
    """Managers and admins: they record stock movements."""

    role = Role.MANAGER


class IsAdmin(HasRole):
    """Admins: they manage products and warehouses."""

    role = Role.ADMIN


def catalog_permissions(action: str | None) -> list[BasePermission]:
    """Everyone signed in reads the catalog; only admins write it."""
    if action in READ_ACTIONS:
        return [IsAuthenticated()]
    return [IsAuthenticated(), IsAdmin()]
