"""Project rules: a user manages their own projects, an admin every project.

Names are unique among one owner's projects (``Conflict``). Deleting a project
detaches its tasks: they stay, in no project.
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import Conflict, NotFound
from ..models.projects import Project
from ..models.tasks import Task
from ..models.users import User
from ..schemas.common import Page
from ..schemas.ids import is_valid_id
from ..schemas.projects import ProjectCreate, ProjectPublic, ProjectQuery, ProjectUpdate
from .pagination import paginate

NAME_TAKEN = "You already have a project with this name"


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else Project.owner_id == user.id


def _check_name_is_free(
    session: Session, owner_id: int, name: str, project_id: int | None = None
) -> None:
    statement = select(Project.id).where(Project.owner_id == owner_id, Project.name == name)
    if project_id is not None:
        statement = statement.where(Project.id != project_id)
    if session.scalar(statement) is not None:
        raise Conflict(NAME_TAKEN)


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:
        # Another request took the name between the check and the write.
        session.rollback()
        raise Conflict(NAME_TAKEN) from None


def list_projects(session: Session, user: User, query: ProjectQuery) -> Page[ProjectPublic]:
    """Return one page of the projects ``user`` may see, by name."""
    statement: Select[Any] = select(Project).where(_visible_to(user))
    return paginate(session, statement, query, ProjectPublic, [Project.name, Project.id])


def create_project(session: Session, user: User, data: ProjectCreate) -> Project:
    """Create a project owned by ``user``."""
    _check_name_is_free(session, user.id, data.name)
    project = Project(owner_id=user.id, **data.model_dump())
    session.add(project)
    _commit(session)
    return project


def get_project(session: Session, user: User, project_id: int) -> Project:
    """Return a project ``user`` may see (owner or admin), or ``NotFound``."""
    if not is_valid_id(project_id):
        raise NotFound("Project not found")
    project = session.scalar(select(Project).where(Project.id == project_id, _visible_to(user)))
    if project is None:
        raise NotFound("Project not found")
    return project


def update_project(session: Session, user: User, project_id: int, data: ProjectUpdate) -> Project:
    """Change the name or description of a project."""
    project = get_project(session, user, project_id)
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes:
        _check_name_is_free(session, project.owner_id, changes["name"], project.id)
    for field, value in changes.items():
        setattr(project, field, value)
    _commit(session)
    return project


def delete_project(session: Session, user: User, project_id: int) -> None:
    """Delete a project; its tasks stay, in no project."""
    project = get_project(session, user, project_id)
    # Done here as well as by the foreign key (ON DELETE SET NULL), so that the
    # tasks' updated_at moves too.
    session.execute(
        update(Task).where(Task.project_id == project.id).values(project_id=None),
        execution_options={"synchronize_session": False},
    )
    session.delete(project)
    session.commit()
