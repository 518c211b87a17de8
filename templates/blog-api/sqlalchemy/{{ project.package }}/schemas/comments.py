"""Comment shapes."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from .common import InputModel
from .posts import Text

MAX_COMMENT_LENGTH = 5000


class CommentCreate(InputModel):
    """A new comment."""

    body: Annotated[Text, Field(min_length=1, max_length=MAX_COMMENT_LENGTH)]


class CommentPublic(BaseModel):
    """A comment as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    post_id: int
    author_id: int
    body: str
    created_at: datetime
