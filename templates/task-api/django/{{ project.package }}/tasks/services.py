"""Task rules: owners and admins manage tasks, assignees see them and move their status.

A user sees the tasks they own or are assigned (anyone else's task is ``NotFound``, so
that ids reveal nothing); an admin sees every task. Only the owner or an admin changes
a task's other fields, reassigns it or deletes it; the assignee may change its status.
"""

from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, OrderBy, Q, QuerySet

from ..accounts.models import User
from ..core.errors import Forbidden, NotFound, ValidationFailed
from ..core.keyset import Listing, Values
from ..core.serializers import is_valid_id
from ..cursors import Key, parse_bool, parse_date, parse_datetime, parse_id, parse_str
from ..projects.models import Project
from .models import Task, TaskPriority
from .permissions import ASSIGNEE_FIELDS, can_manage

# Priorities sort low < medium < high by two portable keys, (priority = 'high') then
# (priority = 'medium'): false before true puts low, then medium, then high. On
# PostgreSQL the index ix_tasks_priority_rank (migration 0002) has these very keys.
_PRIORITY_KEYS = [
    ExpressionWrapper(Q(priority=value), output_field=BooleanField())
    for value in (TaskPriority.HIGH, TaskPriority.MEDIUM)
]


def _field(name: str, parse: Callable[[Any], Any]) -> Key:
    # The value of a key is read from the page's serialized item.
    return Key(F("pk" if name == "id" else name), itemgetter(name), parse)


def _has_priority(rank: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda item: item["priority"] == rank


_ID_KEY = _field("id", parse_id)

# The keys of each sort, ascending, for the cursor: a leading "-" reverses every key but
# the due date's first (tasks without one go last either way), as ``_order_by`` does.
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "created_at": (_field("created_at", parse_datetime), _ID_KEY),
    "updated_at": (_field("updated_at", parse_datetime), _ID_KEY),
    "title": (_field("title", parse_str), _ID_KEY),
    "priority": (
        *(
            Key(expression, _has_priority(rank), parse_bool)
            for expression, rank in zip(_PRIORITY_KEYS, ("high", "medium"), strict=True)
        ),
        _ID_KEY,
    ),
    "due_date": (
        Key(
            ExpressionWrapper(Q(due_date__isnull=True), output_field=BooleanField()),
            lambda item: item["due_date"] is None,
            parse_bool,
            always_ascending=True,
        ),
        _field("due_date", parse_date),
        _ID_KEY,
    ),
}


def visible_to(user: User) -> QuerySet[Task]:
    """The tasks ``user`` may see: owned or assigned (an admin: all)."""
    if user.is_admin:
        return Task.objects.all()
    return Task.objects.filter(Q(owner=user) | Q(assignee=user))


def _order_by(sort: str) -> list[OrderBy]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    columns = _PRIORITY_KEYS if key == "priority" else [F(key)]
    # Tasks without a due date go last either way.
    nulls_last = True if key == "due_date" else None
    if descending:
        return [*(c.desc(nulls_last=nulls_last) for c in columns), F("pk").desc()]
    return [*(c.asc(nulls_last=nulls_last) for c in columns), F("pk").asc()]


#: The list's filters: the query's name and the lookup it makes.
_FILTERS = {
    "project_id": "project_id",
    "status": "status",
    "priority": "priority",
    "due_before": "due_date__lte",
    "due_after": "due_date__gte",
}


def _listed(user_id: int, admin: bool, scope: str) -> list[Q]:
    """The tasks of a user's list in ``scope``, as disjoint parts whose union it is.

    A user's whole list is two parts, the tasks they own and those assigned to them
    that they do not own: the page reads their OR, the total counts them as a UNION ALL,
    each part an index range that stops at the cap (docs/pagination.md). Owned or
    assigned tasks are visible to their user, so a scope is its own one part.
    """
    if scope == "owned":
        return [Q(owner_id=user_id)]
    if scope == "assigned":
        return [Q(assignee_id=user_id)]
    if admin:
        return [Q()]
    return [Q(owner_id=user_id), Q(assignee_id=user_id) & ~Q(owner_id=user_id)]


def list_tasks(user: User, query: Mapping[str, Any]) -> Listing:
    """The tasks ``user`` may see, filtered and sorted, as a ``Listing`` (its queries
    compiled once per shape: admin or not, scope, sort, which filters are given)."""
    admin, scope, sort = user.is_admin, query["scope"], query["sort"]

    def filters(values: Values) -> Q:
        return Q(**{_FILTERS[name]: value for name, value in values.items() if name in _FILTERS})

    def parts(values: Values) -> list[QuerySet[Task]]:
        listed = _listed(values["user_id"], admin, scope)
        return [Task.objects.filter(part, filters(values)) for part in listed]

    def rows(values: Values) -> QuerySet[Task]:
        either = Q()
        for part in _listed(values["user_id"], admin, scope):
            either |= part
        return Task.objects.filter(either, filters(values)).order_by(*_order_by(sort))

    given = {name: query[name] for name in _FILTERS if query.get(name) is not None}
    values = {"user_id": user.pk, **given}
    return Listing(("tasks", admin, scope, sort), values, Task, rows, parts)


def _check_references(owner_id: int, values: Mapping[str, Any]) -> None:
    """The project must be one of the owner's, the assignee an active user; else 422.

    A project of someone else and one that does not exist get the same answer.
    """
    errors = []
    project_id = values.get("project_id")
    if (
        project_id is not None
        and not Project.objects.filter(pk=project_id, owner_id=owner_id).exists()
    ):
        errors.append({"field": "project_id", "message": "No such project of the task's owner"})
    assignee_id = values.get("assignee_id")
    if assignee_id is not None and not User.objects.filter(pk=assignee_id, is_active=True).exists():
        errors.append({"field": "assignee_id", "message": "No such active user"})
    if errors:
        raise ValidationFailed(errors)


def _save(task: Task, values: Mapping[str, Any]) -> None:
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:
        # The project or the assignee went away between the check and the write.
        _check_references(task.owner_id, values)
        raise


def create_task(user: User, data: Mapping[str, Any]) -> Task:
    """Create a task owned by ``user``."""
    _check_references(user.pk, data)
    task = Task(owner=user, **data)
    _save(task, data)
    return task


def get_task(user: User, task_id: int | str) -> Task:
    """Return a task ``user`` may see (owner, assignee, admin), or ``NotFound``."""
    task = visible_to(user).filter(pk=int(task_id)).first() if is_valid_id(task_id) else None
    if task is None:
        raise NotFound("Task not found")
    return task


def update_task(user: User, task_id: int | str, changes: Mapping[str, Any]) -> Task:
    """Change the given fields of a task; an assignee may change only its status."""
    task = get_task(user, task_id)
    if not can_manage(user, task) and changes.keys() - ASSIGNEE_FIELDS:
        raise Forbidden("The assignee may change only the status of a task")
    _check_references(task.owner_id, changes)
    for field, value in changes.items():
        setattr(task, field, value)
    _save(task, changes)
    return task


def delete_task(user: User, task_id: int | str) -> None:
    """Delete a task (owner or admin)."""
    task = get_task(user, task_id)
    if not can_manage(user, task):
        raise Forbidden("Only the owner or an admin may delete a task")
    task.delete()
