"""Tasks you own or are assigned (every task for an admin)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody
from ...schemas.tasks import TaskCreate, TaskPage, TaskPublic, TaskQuery, TaskUpdate
from ...services import tasks
from ..deps import CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/tasks",
    tags=["tasks"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Task not found"}
}
OWNER_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Only the owner or an admin may do this"}
}


@router.get("", summary="List tasks")
@serialized
def list_tasks(
    session: SessionDep, user: CurrentUser, query: Annotated[TaskQuery, Query()]
) -> TaskPage:
    """List the tasks you own or are assigned (an admin's lists every task), filtered,
    sorted and paginated.
    """
    return tasks.list_tasks(session, user, query)


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=TaskPublic, summary="Create a task"
)
def create_task(data: TaskCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Create a task owned by you, maybe in one of your projects, maybe assigned."""
    return tasks.create_task(session, user, data)


@router.get("/{task_id:int}", response_model=TaskPublic, responses=NOT_FOUND, summary="Read a task")
def read_task(task_id: int, session: SessionDep, user: CurrentUser) -> Any:
    """Return one task."""
    return tasks.get_task(session, user, task_id)


@router.patch(
    "/{task_id:int}",
    response_model=TaskPublic,
    responses={**NOT_FOUND, **OWNER_ONLY},
    summary="Change a task",
)
def update_task(task_id: int, data: TaskUpdate, session: SessionDep, user: CurrentUser) -> Any:
    """Change the given fields of a task (its assignee may change only the status)."""
    return tasks.update_task(session, user, task_id, data)


@router.delete(
    "/{task_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND, **OWNER_ONLY},
    summary="Delete a task",
)
def delete_task(task_id: int, session: SessionDep, user: CurrentUser) -> None:
    """Delete a task (its owner or an admin) with its comments."""
    tasks.delete_task(session, user, task_id)
