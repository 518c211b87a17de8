"""Tasks of the signed-in user (every task for an admin)."""

from flask import Blueprint

from ...models.tasks import Task
from ...models.users import User
from ...schemas.common import Page
from ...schemas.tasks import TaskCreate, TaskPublic, TaskQuery, TaskUpdate
from ...services import tasks
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
NOT_FOUND = {404: "Task not found"}


@bp.get("")
@endpoint(summary="List tasks", query=TaskQuery, response=Page[TaskPublic], auth="user")
def list_tasks(user: User, query: TaskQuery) -> Page[TaskPublic]:
    """List your tasks (an admin's lists every task), filtered, sorted and paginated."""
    return tasks.list_tasks(db_session(), user, query)


@bp.post("")
@endpoint(summary="Create a task", body=TaskCreate, response=TaskPublic, status=201, auth="user")
def create_task(user: User, data: TaskCreate) -> Task:
    """Create a task owned by you."""
    return tasks.create_task(db_session(), user, data)


@bp.get("/<int:task_id>")
@endpoint(summary="Read a task", response=TaskPublic, auth="user", errors=NOT_FOUND)
def read_task(user: User, task_id: int) -> Task:
    """Return one task."""
    return tasks.get_task(db_session(), user, task_id)


@bp.patch("/<int:task_id>")
@endpoint(
    summary="Change a task", body=TaskUpdate, response=TaskPublic, auth="user", errors=NOT_FOUND
)
def update_task(user: User, task_id: int, data: TaskUpdate) -> Task:
    """Change the given fields of a task."""
    return tasks.update_task(db_session(), user, task_id, data)


@bp.delete("/<int:task_id>")
@endpoint(summary="Delete a task", status=204, auth="user", errors=NOT_FOUND)
def delete_task(user: User, task_id: int) -> None:
    """Delete a task."""
    tasks.delete_task(db_session(), user, task_id)
