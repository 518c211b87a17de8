"""User shapes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ..models.users import Role
from .common import LEFT_OUT, PageQuery, PatchModel


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    is_active: bool
    created_at: datetime


class UserAdminUpdate(PatchModel):
    """What an admin may change about a user: the role, and whether they may sign in."""

    role: Role = Field(default=LEFT_OUT)
    # true or false only: not 0, 1 or "yes".
    is_active: StrictBool = Field(default=LEFT_OUT)


class UserQuery(PageQuery):
    """Filters of ``GET /users``."""

    role: Role | None = None
    is_active: bool | None = None
