"""Project rules: a user manages their own projects, an admin every project.

Names are unique among one owner's projects (``Conflict``). Deleting a project
detaches its tasks: they stay, in no project.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from ..accounts.models import User
from ..core.errors import Conflict, NotFound
from ..core.serializers import is_valid_id
from ..tasks.models import Task
from .models import Project

NAME_TAKEN = "You already have a project with this name"


def visible_to(user: User) -> QuerySet[Project]:
    """The projects ``user`` may see (an admin: all), each with its ``task_count``."""
    projects = Project.objects.annotate(task_count=Count("tasks"))
    return projects if user.is_admin else projects.filter(owner=user)


def _check_name_is_free(owner_id: int, name: str, project_id: int | None = None) -> None:
    taken = Project.objects.filter(owner_id=owner_id, name=name)
    if project_id is not None:
        taken = taken.exclude(pk=project_id)
    if taken.exists():
        raise Conflict(NAME_TAKEN)


def _save(project: Project) -> None:
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        # Another request took the name between the check and the write.
        raise Conflict(NAME_TAKEN) from None


def list_projects(user: User) -> QuerySet[Project]:
    """The projects ``user`` may see, by name."""
    return visible_to(user).order_by("name", "pk")


def get_project(user: User, project_id: int | str) -> Project:
    """Return a project ``user`` may see (owner or admin), or ``NotFound``."""
    project = (
        visible_to(user).filter(pk=int(project_id)).first() if is_valid_id(project_id) else None
    )
    if project is None:
        raise NotFound("Project not found")
    return project


def create_project(user: User, data: dict[str, Any]) -> Project:
    """Create a project owned by ``user``."""
    _check_name_is_free(user.pk, data["name"])
    project = Project(owner=user, **data)
    _save(project)
    return get_project(user, project.pk)


def update_project(user: User, project_id: int | str, changes: dict[str, Any]) -> Project:
    """Change the name or description of a project."""
    project = get_project(user, project_id)
    if "name" in changes:
        _check_name_is_free(project.owner_id, changes["name"], project.pk)
    for field, value in changes.items():
        setattr(project, field, value)
    _save(project)
    return get_project(user, project.pk)


def delete_project(user: User, project_id: int | str) -> None:
    """Delete a project; its tasks stay, in no project."""
    project = get_project(user, project_id)
    with transaction.atomic():
        # Done here as well as by on_delete=SET_NULL, so that updated_at moves too.
        Task.objects.filter(project=project).update(project=None, updated_at=timezone.now())
        project.delete()
