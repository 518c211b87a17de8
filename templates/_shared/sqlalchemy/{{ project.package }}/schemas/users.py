"""User shapes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_validator

from ..models.users import Role
from .common import InputModel, PageQuery


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    is_active: bool
    created_at: datetime


class UserAdminUpdate(InputModel):
    """What an admin may change about a user: the role, and whether they may sign in."""

    role: Role | None = None
    is_active: bool | None = None

    @field_validator("role", "is_active")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value


class UserQuery(PageQuery):
    """Filters of ``GET /users``."""

    role: Role | None = None
    is_active: bool | None = None
