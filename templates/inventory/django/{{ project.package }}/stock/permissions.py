"""Who moves stock: managers and admins; everyone signed in reads the ledger."""

from rest_framework.permissions import BasePermission, IsAuthenticated

from ..products.access import IsManager


def movement_permissions(action: str | None) -> list[BasePermission]:
    """Reading needs a signed-in user; recording a movement the manager role."""
    if action == "create":
        return [IsAuthenticated(), IsManager()]
    return [IsAuthenticated()]
