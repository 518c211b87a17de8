"""Ids in bodies, query strings and paths: positive, and within the databases' INTEGER."""

from typing import Annotated

from pydantic import Field

from .common import MAX_ID

# An id outside this range names nothing; refusing it early keeps it away from the
# database (SQLite fails on integers wider than 64 bits).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def is_valid_id(value: int) -> bool:
    """Whether ``value`` could be the id of a row."""
    return 1 <= value <= MAX_ID
