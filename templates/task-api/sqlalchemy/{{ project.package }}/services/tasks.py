"""Task rules: owners and admins manage tasks, assignees see them and move their status.

A user sees the tasks they own or are assigned (anyone else's task is ``NotFound``, so
that ids reveal nothing); an admin sees every task. Only the owner or an admin changes
a task's other fields, reassigns it or deletes it; the assignee may change its status.
"""

from collections.abc import Callable, Mapping
from functools import cache
from operator import attrgetter
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    or_,
    select,
    true,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import Forbidden, NotFound, ValidationFailed
from ..cursors import Key, parse_bool, parse_date, parse_datetime, parse_id, parse_str
from ..models.projects import Project
from ..models.tasks import PRIORITY_KEYS, Task
from ..models.users import User
from ..schemas.ids import is_valid_id
from ..schemas.tasks import TaskCreate, TaskPage, TaskPublic, TaskQuery, TaskScope, TaskUpdate
from .keyset import keyset_page, paginate_keyset

# What an assignee who does not own the task may change.
ASSIGNEE_FIELDS = frozenset({"status"})


def _column(name: str, parse: Callable[[Any], Any]) -> Key:
    return Key(getattr(Task, name), attrgetter(name), parse)


def _has_priority(rank: str) -> Callable[[Task], bool]:
    return lambda task: task.priority == rank


_ID_KEY = _column("id", parse_id)

# The keys of each sort, ascending; a leading "-" reverses every key but the first of the
# due date (tasks without one go last either way: NULLS LAST, portable to MySQL). The
# same keys make the ORDER BY and the cursor.
_SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "created_at": (_column("created_at", parse_datetime), _ID_KEY),
    "updated_at": (_column("updated_at", parse_datetime), _ID_KEY),
    "title": (_column("title", parse_str), _ID_KEY),
    "priority": (
        *(
            Key(expression, _has_priority(rank), parse_bool)
            for expression, rank in zip(PRIORITY_KEYS, ("high", "medium"), strict=True)
        ),
        _ID_KEY,
    ),
    "due_date": (
        Key(Task.due_date.is_(None), lambda task: task.due_date is None, parse_bool, True),
        _column("due_date", parse_date),
        _ID_KEY,
    ),
}


def _visible_to(user: User) -> ColumnElement[bool]:
    if user.is_admin:
        return true()
    return or_(Task.owner_id == user.id, Task.assignee_id == user.id)


def _listed(admin: bool, scope: TaskScope) -> tuple[ColumnElement[bool], ...]:
    """The tasks of a user's list in ``scope``, as disjoint parts whose union is it (the
    user's id is the bound parameter ``user_id``).

    A user's whole list is two parts, the tasks they own and those assigned to them
    that they do not own: the page reads their OR, the total counts them as a UNION ALL,
    each part an index range that stops at the cap (docs/pagination.md). Owned or
    assigned tasks are visible to their user, so a scope is its own one part.
    """
    user_id: BindParameter[int] = bindparam("user_id")
    if scope == TaskScope.OWNED:
        return (Task.owner_id == user_id,)
    if scope == TaskScope.ASSIGNED:
        return (Task.assignee_id == user_id,)
    if admin:
        return (true(),)
    return (Task.owner_id == user_id, and_(Task.assignee_id == user_id, Task.owner_id != user_id))


#: The list's filters, each comparing a column with the bound parameter of its name.
_FILTERS: dict[str, ColumnElement[bool]] = {
    "project_id": Task.project_id == bindparam("project_id"),
    "status": Task.status == bindparam("status"),
    "priority": Task.priority == bindparam("priority"),
    "due_before": Task.due_date <= bindparam("due_before"),
    "due_after": Task.due_date >= bindparam("due_after"),
}


@cache
def _list_statements(
    admin: bool, scope: TaskScope, filtered: tuple[str, ...]
) -> tuple[Select[Any], tuple[Select[Any], ...]]:
    """The list's statement and its parts to count, for one shape of query (built once:
    the values are bound at execution)."""
    listed = _listed(admin, scope)
    filters = [_FILTERS[name] for name in filtered]
    statement = select(Task).where(or_(*listed), *filters)
    return statement, tuple(select(Task).where(part, *filters) for part in listed)


def can_manage(user: User, task: Task) -> bool:
    """Whether ``user`` may change every field of ``task`` and delete it."""
    return user.is_admin or task.owner_id == user.id


def list_tasks(session: Session, user: User, query: TaskQuery) -> TaskPage:
    """Return one page of the tasks ``user`` may see, filtered and sorted, by offset or
    after a cursor."""
    values: dict[str, Any] = {"user_id": user.id}
    for name in _FILTERS:
        if (value := getattr(query, name)) is not None:
            values[name] = value
    statement, parts = _list_statements(user.is_admin, query.scope, tuple(values)[1:])
    keys = _SORT_KEYS[query.sort.lstrip("-")]
    found = paginate_keyset(
        session, statement, query, query.cursor, query.sort, keys, parts, TaskPublic, values
    )
    return keyset_page(TaskPage, TaskPublic, query, found)


def _check_references(session: Session, owner_id: int, values: Mapping[str, Any]) -> None:
    """The project must be one of the owner's, the assignee an active user; else 422.

    A project of someone else and one that does not exist get the same answer.
    """
    errors = []
    project_id = values.get("project_id")
    if project_id is not None:
        mine = select(Project.id).where(Project.id == project_id, Project.owner_id == owner_id)
        if session.scalar(mine) is None:
            errors.append({"field": "project_id", "message": "No such project of the task's owner"})
    assignee_id = values.get("assignee_id")
    if assignee_id is not None:
        active = select(User.id).where(User.id == assignee_id, User.is_active.is_(True))
        if session.scalar(active) is None:
            errors.append({"field": "assignee_id", "message": "No such active user"})
    if errors:
        raise ValidationFailed(errors)


def _commit(session: Session, owner_id: int, values: Mapping[str, Any]) -> None:
    try:
        session.commit()
    except IntegrityError:
        # The project or the assignee went away between the check and the write.
        session.rollback()
        _check_references(session, owner_id, values)
        raise


def create_task(session: Session, user: User, data: TaskCreate) -> Task:
    """Create a task owned by ``user``."""
    values = data.model_dump()
    _check_references(session, user.id, values)
    task = Task(owner_id=user.id, **values)
    session.add(task)
    _commit(session, user.id, values)
    return task


def get_task(session: Session, user: User, task_id: int) -> Task:
    """Return a task ``user`` may see (owner, assignee, admin), or ``NotFound``."""
    if not is_valid_id(task_id):
        raise NotFound("Task not found")
    task = session.scalar(select(Task).where(Task.id == task_id, _visible_to(user)))
    if task is None:
        raise NotFound("Task not found")
    return task


def update_task(session: Session, user: User, task_id: int, data: TaskUpdate) -> Task:
    """Change the given fields of a task; an assignee may change only its status."""
    task = get_task(session, user, task_id)
    changes = data.model_dump(exclude_unset=True)
    if not can_manage(user, task) and changes.keys() - ASSIGNEE_FIELDS:
        raise Forbidden("The assignee may change only the status of a task")
    _check_references(session, task.owner_id, changes)
    for field, value in changes.items():
        setattr(task, field, value)
    _commit(session, task.owner_id, changes)
    return task


def delete_task(session: Session, user: User, task_id: int) -> None:
    """Delete a task (owner or admin)."""
    task = get_task(session, user, task_id)
    if not can_manage(user, task):
        raise Forbidden("Only the owner or an admin may delete a task")
    session.delete(task)
    session.commit()
