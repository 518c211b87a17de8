"""Task shapes: create, update, read, list query."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models.tasks import TaskPriority, TaskStatus
from .common import InputModel, PageQuery

MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000


class TaskCreate(InputModel):
    """A new task; only the title is required."""

    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    status: TaskStatus = TaskStatus.TODO
    priority: TaskPriority = TaskPriority.MEDIUM
    due_date: date | None = None


class TaskUpdate(InputModel):
    """Fields to change; those left out stay as they are, null clears optional ones."""

    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    status: TaskStatus | None = None
    priority: TaskPriority | None = None
    due_date: date | None = None

    @field_validator("title", "status", "priority")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for values sent: leaving a field out keeps it, null is refused.
        if value is None:
            raise ValueError("cannot be null")
        return value


class TaskPublic(BaseModel):
    """A task as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    title: str
    description: str | None
    status: TaskStatus
    priority: TaskPriority
    due_date: date | None
    created_at: datetime
    updated_at: datetime


class TaskSort(StrEnum):
    """Sort keys for ``GET /tasks``; a leading ``-`` sorts descending."""

    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    UPDATED_AT = "updated_at"
    UPDATED_AT_DESC = "-updated_at"
    DUE_DATE = "due_date"
    DUE_DATE_DESC = "-due_date"
    PRIORITY = "priority"
    PRIORITY_DESC = "-priority"
    TITLE = "title"
    TITLE_DESC = "-title"


class TaskQuery(PageQuery):
    """Filters, sort order and page of ``GET /tasks``; due dates are inclusive bounds."""

    status: TaskStatus | None = None
    priority: TaskPriority | None = None
    due_before: date | None = None
    due_after: date | None = None
    sort: TaskSort = TaskSort.CREATED_AT_DESC
