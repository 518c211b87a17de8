"""Project shapes: create, update, read, list query."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ..models.projects import MAX_NAME_LENGTH
from .common import LEFT_OUT, InputModel, PageQuery, PatchModel

MAX_DESCRIPTION_LENGTH = 10_000


class ProjectCreate(InputModel):
    """A new project; the name must differ from your other projects' names."""

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)


class ProjectUpdate(PatchModel):
    """Fields to change; those left out stay as they are, null clears the description."""

    name: str = Field(default=LEFT_OUT, min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)


class ProjectPublic(BaseModel):
    """A project as the API shows it, with the number of tasks it groups."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    name: str
    description: str | None
    task_count: int
    created_at: datetime
    updated_at: datetime


class ProjectQuery(PageQuery):
    """The page of ``GET /projects`` (sorted by name)."""
