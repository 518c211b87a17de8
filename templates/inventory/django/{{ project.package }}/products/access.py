"""Who may do what: viewers read, managers also move stock, admins also manage the catalog.

Every signed-in user reads; a signed-in user without the role gets 403, a request
without a token 401 (DRF answers that before the role is looked at).
"""

from typing import ClassVar

from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from ..accounts.models import Role

# Each role may do what the roles before it may.
_RANK = {Role.VIEWER: 0, Role.MANAGER: 1, Role.ADMIN: 2}
READ_ACTIONS = frozenset({"list", "retrieve"})


def has_role(role: str, needed: Role) -> bool:
    """Tell whether ``role`` is ``needed`` or a stronger one."""
    return _RANK.get(Role(role), -1) >= _RANK[needed]


class HasRole(BasePermission):
    """A signed-in user with ``role`` or a stronger one."""

    role: ClassVar[Role] = Role.ADMIN

    @property
    def message(self) -> str:  # type: ignore[override]
        """The 403's detail."""
        return f"{self.role.label} role required"

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Whether the user's role is strong enough."""
        user = request.user
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
