"""Post shapes: create, update, read, list query; tags are normalized to lowercase."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from ..models.posts import PostStatus
from ..models.tags import MAX_TAG_LENGTH
from .common import LEFT_OUT, MAX_ID, InputModel, Page, PageQuery, PatchModel

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 100_000
MAX_TAGS = 10


def refuse_nul(value: str) -> str:
    """PostgreSQL cannot store NUL characters: refuse them as invalid input."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(refuse_nul)]
Title = Annotated[Text, Field(min_length=1, max_length=MAX_TITLE_LENGTH)]
Body = Annotated[Text, Field(max_length=MAX_BODY_LENGTH)]


def normalize_tag(value: Any) -> Any:
    """Tags are compared in lowercase: ``" Python "`` is ``"python"``."""
    return value.strip().lower() if isinstance(value, str) else value


#: What a tag may be as sent (it is trimmed first): letters of either case, digits and -.
TAG_AS_SENT = r"^[A-Za-z0-9-]+$"

# Normalized first, then checked; the document says what may be sent.
TagName = Annotated[
    str,
    BeforeValidator(normalize_tag),
    StringConstraints(min_length=1, max_length=MAX_TAG_LENGTH, pattern=r"^[a-z0-9-]+$"),
    Field(json_schema_extra={"pattern": TAG_AS_SENT}),
]
Tags = Annotated[list[TagName], Field(max_length=MAX_TAGS)]


def _unique(names: list[str]) -> list[str]:
    # "Python" and "python" are one tag.
    return list(dict.fromkeys(names))


class PostCreate(InputModel):
    """A new post; a draft unless ``status`` says published."""

    title: Title
    body: Body = ""
    status: PostStatus = PostStatus.DRAFT
    tags: Tags = Field(default_factory=list)

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, value: list[str]) -> list[str]:
        return _unique(value)


class PostUpdate(PatchModel):
    """Fields to change; those left out stay as they are. ``tags`` replaces every tag."""

    title: Title = Field(default=LEFT_OUT)
    body: Body = Field(default=LEFT_OUT)
    status: PostStatus = Field(default=LEFT_OUT)
    tags: Tags = Field(default=LEFT_OUT)

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, value: list[str]) -> list[str]:
        return _unique(value)


class PostPublic(BaseModel):
    """A post as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    title: str
    body: str
    status: PostStatus
    published_at: datetime | None
    tags: list[str]
    author_id: int
    created_at: datetime
    updated_at: datetime

    @field_validator("tags", mode="before")
    @classmethod
    def _tag_names(cls, value: Any) -> Any:
        # The model holds Tag rows; the API shows their names, sorted.
        return sorted(getattr(tag, "name", tag) for tag in value)


class PostQuery(PageQuery):
    """Filters and page of ``GET /posts``."""

    status: PostStatus = PostStatus.PUBLISHED
    tag: Annotated[Text, Field(max_length=MAX_TAG_LENGTH)] | None = None
    author: int | None = Field(default=None, ge=1, le=MAX_ID)
    q: Annotated[Text, Field(max_length=MAX_TITLE_LENGTH)] | None = None
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor: str | None = Field(default=None, min_length=1, max_length=1024)


class PostPage(Page[PostPublic]):
    """One page of posts. ``total`` counts the matching posts up to 10,000 (a list with
    more reports 10,000); ``next_cursor`` is the ``cursor`` of the next page, null on
    the last one."""

    next_cursor: str | None
