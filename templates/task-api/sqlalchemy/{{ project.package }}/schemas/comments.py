"""Comment shapes: create, read."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from .common import InputModel

MAX_BODY_LENGTH = 2000


class CommentCreate(InputModel):
    """A new comment on a task."""

    body: str = Field(min_length=1, max_length=MAX_BODY_LENGTH)


class CommentPublic(BaseModel):
    """A comment as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    task_id: int
    author_id: int
    body: str
    created_at: datetime
