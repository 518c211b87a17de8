"""Tasks you own or are assigned (every task for an admin)."""

from flask import Blueprint

from ...models.tasks import Task
from ...models.users import User
from ...schemas.tasks import TaskCreate, TaskPage, TaskPublic, TaskQuery, TaskUpdate
from ...services import tasks
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
NOT_FOUND = {404: "Task not found"}
OWNER_ONLY = {**NOT_FOUND, 403: "Only the owner or an admin may do this"}


@bp.get("")
@endpoint(summary="List tasks", query=TaskQuery, response=TaskPage, auth="user")
def list_tasks(user: User, query: TaskQuery) -> TaskPage:
    """List the tasks you own or are assigned (an admin's lists every task), filtered,
    sorted and paginated.
    """
    return tasks.list_tasks(db_session(), user, query)


@bp.post("")
@endpoint(summary="Create a task", body=TaskCreate, response=TaskPublic, status=201, auth="user")
def create_task(user: User, data: TaskCreate) -> Task:
    """Create a task owned by you, maybe in one of your projects, maybe assigned."""
    return tasks.create_task(db_session(), user, data)


@bp.get("/<int:task_id>")
@endpoint(summary="Read a task", response=TaskPublic, auth="user", errors=NOT_FOUND)
def read_task(user: User, task_id: int) -> Task:
    """Return one task."""
    return tasks.get_task(db_session(), user, task_id)


@bp.patch("/<int:task_id>")
@endpoint(
    summary="Change a task", body=TaskUpdate, response=TaskPublic, auth="user", errors=OWNER_ONLY
)
def update_task(user: User, task_id: int, data: TaskUpdate) -> Task:
    """Change the given fields of a task (its assignee may change only the status)."""
    return tasks.update_task(db_session(), user, task_id, data)


@bp.delete("/<int:task_id>")
@endpoint(summary="Delete a task", status=204, auth="user", errors=OWNER_ONLY)
def delete_task(user: User, task_id: int) -> None:
    """Delete a task (its owner or an admin) with its comments."""
    tasks.delete_task(db_session(), user, task_id)
