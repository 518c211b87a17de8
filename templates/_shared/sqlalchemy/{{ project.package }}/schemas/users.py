"""User shapes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from ..models.users import Role


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    is_active: bool
    created_at: datetime
