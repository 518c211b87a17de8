"""Project shapes: create, update, read, list query."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models.projects import MAX_NAME_LENGTH
from .common import InputModel, PageQuery

MAX_DESCRIPTION_LENGTH = 10_000


class ProjectCreate(InputModel):
    """A new project; the name must differ from your other projects' names."""

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)


class ProjectUpdate(InputModel):
    """Fields to change; those left out stay as they are, null clears the description."""

    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)

    @field_validator("name")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for values sent: leaving the name out keeps it, null is refused.
        if value is None:
            raise ValueError("cannot be null")
        return value


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
