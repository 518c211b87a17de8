"""Comment rules: whoever sees a task reads and writes its comments; the author or an
admin deletes one.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ..accounts.models import User
from ..core.errors import Forbidden, NotFound
from ..core.serializers import is_valid_id
from ..tasks import services as tasks
from .models import Comment


def list_comments(user: User, task_id: int | str) -> QuerySet[Comment]:
    """The comments on a task ``user`` sees, oldest first."""
    task = tasks.get_task(user, task_id)
    return Comment.objects.filter(task=task).order_by("pk")


def add_comment(user: User, task_id: int | str, data: dict[str, Any]) -> Comment:
    """Comment on a task ``user`` sees, as its author."""
    task = tasks.get_task(user, task_id)
    try:
        with transaction.atomic():
            return Comment.objects.create(task=task, author=user, body=data["body"])
    except IntegrityError:
        # The task was deleted between the check and the write.
        raise NotFound("Task not found") from None


def get_comment(user: User, task_id: int | str, comment_id: int | str) -> Comment:
    """A comment on a task ``user`` sees, or ``NotFound``."""
    task = tasks.get_task(user, task_id)
    comment = None
    if is_valid_id(comment_id):
        comment = Comment.objects.filter(pk=int(comment_id), task=task).first()
    if comment is None:
        raise NotFound("Comment not found")
    return comment


def delete_comment(user: User, task_id: int | str, comment_id: int | str) -> None:
    """Delete a comment; only its author or an admin may."""
    comment = get_comment(user, task_id, comment_id)
    if comment.author_id != user.pk and not user.is_admin:
        raise Forbidden("Only the author or an admin may delete a comment")
    comment.delete()
