"""Customer shapes: create, update, read, list query."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from .common import InputModel
from .fields import ListQuery, Text

MAX_NAME_LENGTH = 200


class CustomerCreate(InputModel):
    """A new customer."""

    name: Text = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    email: EmailStr


class CustomerUpdate(InputModel):
    """Fields to change; those left out stay as they are."""

    name: Text | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    email: EmailStr | None = None

    @field_validator("name", "email")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for values sent: leaving a field out keeps it, null is refused.
        if value is None:
            raise ValueError("cannot be null")
        return value


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
