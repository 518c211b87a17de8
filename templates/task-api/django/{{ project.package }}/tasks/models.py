"""Tasks, each owned by one user, in one of their projects or none, maybe assigned."""

from django.conf import settings
from django.db import models

MAX_TITLE_LENGTH = 200


class TaskStatus(models.TextChoices):
    """Where a task stands."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class TaskPriority(models.TextChoices):
    """How urgent a task is; sorts low < medium < high."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Task(models.Model):
    """A task of one user; its project is one of the owner's, its assignee any active user."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_tasks"
    )
    title = models.CharField(max_length=MAX_TITLE_LENGTH, db_index=True)
    description = models.TextField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO, db_index=True
    )
    priority = models.CharField(
        max_length=20, choices=TaskPriority.choices, default=TaskPriority.MEDIUM, db_index=True
    )
    due_date = models.DateField(null=True, blank=True, db_index=True)
    # Deleting a project detaches its tasks; deleting a user unassigns theirs.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = "tasks"
        # The capped totals (docs/pagination.md): a user's tasks by status and priority,
        # owned or assigned (the assignee's with the owner, to leave out their own
        # tasks), and every task by status and priority in the list's order, read from
        # the index alone up to the cap. Plain indexes, on every database.
        indexes = (
            models.Index(fields=["owner", "status", "priority"], name="ix_tasks_owner_status"),
            models.Index(
                fields=["assignee", "status", "priority", "owner"],
                name="ix_tasks_assignee_status",
            ),
            models.Index(
                fields=["status", "priority", "created_at", "id"],
                name="ix_tasks_status_priority_time",
            ),
        )

    def __str__(self) -> str:
        return self.title
