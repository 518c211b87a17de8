"""Projects of the signed-in user (every project for an admin)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody, Page
from ...schemas.projects import ProjectCreate, ProjectPublic, ProjectQuery, ProjectUpdate
from ...services import projects
from ..deps import CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/projects",
    tags=["projects"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Project not found"}
}
NAME_TAKEN: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "You already have a project with this name"}
}


@router.get("", summary="List projects")
@serialized
def list_projects(
    session: SessionDep, user: CurrentUser, query: Annotated[ProjectQuery, Query()]
) -> Page[ProjectPublic]:
    """List your projects (an admin's lists every project) by name, with task counts."""
    return projects.list_projects(session, user, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectPublic,
    responses=NAME_TAKEN,
    summary="Create a project",
)
def create_project(data: ProjectCreate, session: SessionDep, user: CurrentUser) -> Any:
    """Create a project owned by you."""
    return projects.create_project(session, user, data)


@router.get(
    "/{project_id:int}", response_model=ProjectPublic, responses=NOT_FOUND, summary="Read a project"
)
def read_project(project_id: int, session: SessionDep, user: CurrentUser) -> Any:
    """Return one project, with its task count."""
    return projects.get_project(session, user, project_id)


@router.patch(
    "/{project_id:int}",
    response_model=ProjectPublic,
    responses={**NOT_FOUND, **NAME_TAKEN},
    summary="Change a project",
)
def update_project(
    project_id: int, data: ProjectUpdate, session: SessionDep, user: CurrentUser
) -> Any:
    """Rename a project or change its description."""
    return projects.update_project(session, user, project_id, data)


@router.delete(
    "/{project_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
    summary="Delete a project",
)
def delete_project(project_id: int, session: SessionDep, user: CurrentUser) -> None:
    """Delete a project; its tasks stay, in no project."""
    projects.delete_project(session, user, project_id)
