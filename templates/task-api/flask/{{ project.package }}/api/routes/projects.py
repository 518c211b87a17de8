"""Projects of the signed-in user (every project for an admin)."""

from flask import Blueprint

from ...models.projects import Project
from ...models.users import User
from ...schemas.common import Page
from ...schemas.projects import ProjectCreate, ProjectPublic, ProjectQuery, ProjectUpdate
from ...services import projects
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("projects", __name__, url_prefix="/projects")
NOT_FOUND = {404: "Project not found"}
NAME_TAKEN = {409: "You already have a project with this name"}


@bp.get("")
@endpoint(summary="List projects", query=ProjectQuery, response=Page[ProjectPublic], auth="user")
def list_projects(user: User, query: ProjectQuery) -> Page[ProjectPublic]:
    """List your projects (an admin's lists every project) by name, with task counts."""
    return projects.list_projects(db_session(), user, query)


@bp.post("")
@endpoint(
    summary="Create a project",
    body=ProjectCreate,
    response=ProjectPublic,
    status=201,
    auth="user",
    errors=NAME_TAKEN,
)
def create_project(user: User, data: ProjectCreate) -> Project:
    """Create a project owned by you."""
    return projects.create_project(db_session(), user, data)


@bp.get("/<int:project_id>")
@endpoint(summary="Read a project", response=ProjectPublic, auth="user", errors=NOT_FOUND)
def read_project(user: User, project_id: int) -> Project:
    """Return one project, with its task count."""
    return projects.get_project(db_session(), user, project_id)


@bp.patch("/<int:project_id>")
@endpoint(
    summary="Change a project",
    body=ProjectUpdate,
    response=ProjectPublic,
    auth="user",
    errors={**NOT_FOUND, **NAME_TAKEN},
)
def update_project(user: User, project_id: int, data: ProjectUpdate) -> Project:
    """Rename a project or change its description."""
    return projects.update_project(db_session(), user, project_id, data)


@bp.delete("/<int:project_id>")
@endpoint(summary="Delete a project", status=204, auth="user", errors=NOT_FOUND)
def delete_project(user: User, project_id: int) -> None:
    """Delete a project; its tasks stay, in no project."""
    projects.delete_project(db_session(), user, project_id)
