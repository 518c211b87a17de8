"""Link shapes: create, read, list query."""

import re
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models.links import MAX_CODE_LENGTH, MAX_URL_LENGTH
from .common import InputModel, PageQuery

MIN_CODE_LENGTH = 3
#: An http(s) URL with a host name and an optional port, path, query and fragment.
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"
CODE_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{MIN_CODE_LENGTH},{MAX_CODE_LENGTH}}}")


def is_valid_code(code: str) -> bool:
    """Whether ``code`` could name a link (anything else is not found, never a query)."""
    return CODE_PATTERN.fullmatch(code) is not None


class LinkCreate(InputModel):
    """A new link: the URL to shorten, and a code of your choice (one is made up if not)."""

    # The pattern tells clients (and the OpenAPI document) what the validator accepts.
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH, pattern=URL_PATTERN)
    code: str | None = Field(
        default=None,
        min_length=MIN_CODE_LENGTH,
        max_length=MAX_CODE_LENGTH,
        pattern=r"^[A-Za-z0-9_-]+$",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an http or https URL")
        if any(ord(character) < 33 for character in value):
            raise ValueError("must not contain spaces or control characters")
        return value


class LinkPublic(BaseModel):
    """A link as the API shows it, with its visit count."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    target_url: str
    owner_id: int
    visits: int
    created_at: datetime


class LinkQuery(PageQuery):
    """The page of ``GET /links`` (newest first)."""
