"""Who may do what to a task: see it, change it, or only move its status."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from ..accounts.models import User
from ..core.authentication import signed_in

# What an assignee who does not own the task may change.
ASSIGNEE_FIELDS = frozenset({"status"})


def can_see(user: User, task: Any) -> bool:
    """The owner, the assignee and admins see a task."""
    return user.is_admin or user.pk in {task.owner_id, task.assignee_id}


def can_manage(user: User, task: Any) -> bool:
    """The owner and admins change every field of a task and delete it."""
    return user.is_admin or task.owner_id == user.pk


class CanManageTask(BasePermission):
    """The task's owner or an admin (deleting; changing more than the status)."""

    message = "Only the owner or an admin may do this to a task"

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        """Whether the signed-in user manages ``obj``."""
        return can_manage(signed_in(request), obj)
