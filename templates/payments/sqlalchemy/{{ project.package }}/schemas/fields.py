"""Field types shared by the payment shapes: text a database can store, bounded ids and pages."""

from typing import Annotated

from pydantic import AfterValidator, Field

from .common import MAX_ID, PageQuery

#: Ids, id filters and offsets stop at the shared MAX_ID (2**31 - 1), the range of the
#: id columns: PostgreSQL refuses a larger value for one (a 500 instead of a 404).


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text: refuse them here, as a 422.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


#: A string without NUL characters.
Text = Annotated[str, AfterValidator(_no_nul)]
#: An id in a filter.
IdFilter = Annotated[int, Field(ge=1, le=MAX_ID)]


class ListQuery(PageQuery):
    """``?limit=&offset=`` of a list (offsets up to MAX_ID, as on every stack)."""
