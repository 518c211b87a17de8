"""Task shapes: create, update, read, list query."""

from rest_framework import serializers

from ..core.serializers import (
    IdField,
    InputSerializer,
    IsoDateField,
    PageQuerySerializer,
    Serializer,
)
from .models import MAX_TITLE_LENGTH, TaskPriority, TaskStatus

MAX_DESCRIPTION_LENGTH = 10_000
SORT_KEYS = ("created_at", "updated_at", "due_date", "priority", "title")
SCOPES = ("all", "owned", "assigned")


class TaskSerializer(Serializer):
    """A task as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices, read_only=True)
    priority = serializers.ChoiceField(choices=TaskPriority.choices, read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    project_id = serializers.IntegerField(read_only=True, allow_null=True)
    assignee_id = serializers.IntegerField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class TaskCreateSerializer(InputSerializer):
    """A new task; only the title is required.

    ``project_id`` is one of your projects; ``assignee_id`` any active user, who then
    sees the task and may change its status.
    """

    title = serializers.CharField(max_length=MAX_TITLE_LENGTH)
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION_LENGTH, allow_null=True, allow_blank=True, required=False
    )
    status = serializers.ChoiceField(choices=TaskStatus.choices, default=TaskStatus.TODO)
    priority = serializers.ChoiceField(choices=TaskPriority.choices, default=TaskPriority.MEDIUM)
    due_date = IsoDateField(allow_null=True, required=False)
    project_id = IdField(allow_null=True, required=False)
    assignee_id = IdField(allow_null=True, required=False)


class TaskUpdateSerializer(InputSerializer):
    """Fields to change; those left out stay as they are, null clears optional ones.

    The assignee (if not the owner) may send only ``status``; ``project_id`` must be a
    project of the task's owner; null takes the task out of its project or unassigns it.
    """

    title = serializers.CharField(max_length=MAX_TITLE_LENGTH, required=False)
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION_LENGTH, allow_null=True, allow_blank=True, required=False
    )
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=TaskPriority.choices, required=False)
    due_date = IsoDateField(allow_null=True, required=False)
    project_id = IdField(allow_null=True, required=False)
    assignee_id = IdField(allow_null=True, required=False)


class TaskQuerySerializer(PageQuerySerializer):
    """Filters, sort order and page of ``GET /tasks``; due dates are inclusive bounds."""

    scope = serializers.ChoiceField(choices=SCOPES, default="all")
    project_id = IdField(required=False)
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=TaskPriority.choices, required=False)
    due_before = IsoDateField(required=False)
    due_after = IsoDateField(required=False)
    sort = serializers.ChoiceField(
        choices=[f"{prefix}{key}" for key in SORT_KEYS for prefix in ("", "-")],
        default="-created_at",
    )
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor = serializers.CharField(required=False, min_length=1, max_length=1024)


class TaskPageSerializer(Serializer):
    """One page of tasks. ``total`` counts the matching tasks up to 10,000 (a list with
    more reports 10,000); ``next_cursor`` is the ``cursor`` of the next page, null on the
    last one."""

    items = TaskSerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    next_cursor = serializers.CharField(allow_null=True)
