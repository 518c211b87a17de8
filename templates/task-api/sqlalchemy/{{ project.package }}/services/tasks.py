"""Task rules: users see their own tasks, admins see all; filters, sorting, pagination."""

from typing import Any

from sqlalchemy import ColumnElement, Select, case, select, true
from sqlalchemy.orm import Session

from ..core.errors import NotFound
from ..models.tasks import Task, TaskPriority
from ..models.users import User
from ..schemas.common import Page
from ..schemas.tasks import TaskCreate, TaskPublic, TaskQuery, TaskUpdate
from .pagination import paginate

_PRIORITY_RANK = case(
    {TaskPriority.LOW.value: 0, TaskPriority.MEDIUM.value: 1, TaskPriority.HIGH.value: 2},
    value=Task.priority,
)
_SORT_COLUMNS: dict[str, Any] = {
    "created_at": Task.created_at,
    "updated_at": Task.updated_at,
    "due_date": Task.due_date,
    "priority": _PRIORITY_RANK,
    "title": Task.title,
}


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else Task.owner_id == user.id


def _order_by(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    column = _SORT_COLUMNS[sort.lstrip("-")]
    order = [
        column.desc() if descending else column.asc(),
        Task.id.desc() if descending else Task.id,
    ]
    if sort.lstrip("-") == "due_date":
        # Tasks without a due date go last either way (NULLS LAST, portable to MySQL).
        order.insert(0, Task.due_date.is_(None))
    return order


def list_tasks(session: Session, user: User, query: TaskQuery) -> Page[TaskPublic]:
    """Return one page of the tasks ``user`` may see, filtered and sorted."""
    statement: Select[Any] = select(Task).where(_visible_to(user))
    if query.status is not None:
        statement = statement.where(Task.status == query.status)
    if query.priority is not None:
        statement = statement.where(Task.priority == query.priority)
    if query.due_before is not None:
        statement = statement.where(Task.due_date <= query.due_before)
    if query.due_after is not None:
        statement = statement.where(Task.due_date >= query.due_after)
    return paginate(session, statement, query, TaskPublic, _order_by(query.sort))


def create_task(session: Session, user: User, data: TaskCreate) -> Task:
    """Create a task owned by ``user``."""
    task = Task(owner_id=user.id, **data.model_dump())
    session.add(task)
    session.commit()
    return task


def get_task(session: Session, user: User, task_id: int) -> Task:
    """Return a task ``user`` may see; anyone else's is ``NotFound``, not ``Forbidden``,
    so that ids reveal nothing.
    """
    task = session.scalar(select(Task).where(Task.id == task_id, _visible_to(user)))
    if task is None:
        raise NotFound("Task not found")
    return task


def update_task(session: Session, user: User, task_id: int, data: TaskUpdate) -> Task:
    """Change the given fields of a task."""
    task = get_task(session, user, task_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(task, field, value)
    session.commit()
    return task


def delete_task(session: Session, user: User, task_id: int) -> None:
    """Delete a task."""
    session.delete(get_task(session, user, task_id))
    session.commit()
