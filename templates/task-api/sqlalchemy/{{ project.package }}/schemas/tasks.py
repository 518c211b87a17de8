"""Task shapes: create, update, read, list query."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ..models.tasks import TaskPriority, TaskStatus
from .common import LEFT_OUT, InputModel, IsoDate, Page, PageQuery, PatchModel
from .ids import Id

MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000


class TaskCreate(InputModel):
    """A new task; only the title is required.

    ``project_id`` is one of your projects; ``assignee_id`` any active user, who then
    sees the task and may change its status.
    """

    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    status: TaskStatus = TaskStatus.TODO
    priority: TaskPriority = TaskPriority.MEDIUM
    due_date: IsoDate | None = None
    project_id: Id | None = None
    assignee_id: Id | None = None


class TaskUpdate(PatchModel):
    """Fields to change; those left out stay as they are, null clears optional ones.

    The assignee (if not the owner) may send only ``status``; ``project_id`` must be a
    project of the task's owner; null takes the task out of its project or unassigns it.
    """

    title: str = Field(default=LEFT_OUT, min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    status: TaskStatus = Field(default=LEFT_OUT)
    priority: TaskPriority = Field(default=LEFT_OUT)
    due_date: IsoDate | None = None
    project_id: Id | None = None
    assignee_id: Id | None = None


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
    project_id: int | None
    assignee_id: int | None
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


class TaskScope(StrEnum):
    """Which of the tasks you see ``GET /tasks`` lists."""

    ALL = "all"  # yours and those assigned to you (every task for an admin)
    OWNED = "owned"  # those you own
    ASSIGNED = "assigned"  # those assigned to you


class TaskQuery(PageQuery):
    """Filters, sort order and page of ``GET /tasks``; due dates are inclusive bounds."""

    scope: TaskScope = TaskScope.ALL
    project_id: Id | None = None
    status: TaskStatus | None = None
    priority: TaskPriority | None = None
    due_before: IsoDate | None = None
    due_after: IsoDate | None = None
    sort: TaskSort = TaskSort.CREATED_AT_DESC
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor: str | None = Field(default=None, min_length=1, max_length=1024)


class TaskPage(Page[TaskPublic]):
    """One page of tasks. ``total`` counts the matching tasks up to 10,000 (a list with
    more reports 10,000); ``next_cursor`` is the ``cursor`` of the next page, null on the
    last one."""

    next_cursor: str | None
