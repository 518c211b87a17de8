"""Permission classes for roles and ownership, shared by every app."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from .authentication import viewer


class IsAdmin(BasePermission):
    """Signed in with the admin role."""

    message = "Admin role required"

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Only admins pass; anonymous requests get a 401 from authentication first."""
        user = viewer(request)
        return bool(user and user.is_authenticated and user.is_admin)


class IsOwnerOrAdmin(BasePermission):
    """The object's owner, or an admin; the owner is ``owner_field`` (``owner_id``)."""

    message = "Only the owner or an admin may do this"
    owner_field = "owner_id"

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        """Whether the signed-in user owns ``obj`` or is an admin."""
        user = viewer(request)
        field = getattr(view, "owner_field", self.owner_field)
        return bool(user and (user.is_admin or getattr(obj, field, None) == user.pk))
