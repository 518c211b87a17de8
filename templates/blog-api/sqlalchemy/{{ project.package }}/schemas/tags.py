"""Tag shapes."""

from pydantic import BaseModel, ConfigDict


class TagPublic(BaseModel):
    """A tag with the number of published posts that carry it."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    post_count: int
