"""Customer shapes: create, update, read, list query."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from .common import LEFT_OUT, Email, InputModel, PatchModel
from .fields import ListQuery, Text

MAX_NAME_LENGTH = 200


class CustomerCreate(InputModel):
    """A new customer."""

    name: Text = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    email: Email


class CustomerUpdate(PatchModel):
    """Fields to change; those left out stay as they are."""

    name: Text = Field(default=LEFT_OUT, min_length=1, max_length=MAX_NAME_LENGTH)
    email: Email = Field(default=LEFT_OUT)


class CustomerPublic(BaseModel):
    """A customer as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    name: str
    email: str
    created_at: datetime
    updated_at: datetime


class CustomerQuery(ListQuery):
    """Filters of ``GET /customers``."""

    email: Text | None = Field(default=None, max_length=320)
