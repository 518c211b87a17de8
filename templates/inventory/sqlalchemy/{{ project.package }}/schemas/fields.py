"""Field types of the inventory: ids, codes (SKUs, warehouse codes) and quantities."""

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt

from .common import MAX_ID

#: The most units one movement may move.
MAX_QUANTITY = 1_000_000
#: The most units one warehouse may hold of one product.
MAX_LEVEL = 1_000_000_000

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{2,31}")


def _code(value: str) -> str:
    value = value.upper()
    if not CODE_PATTERN.fullmatch(value):
        raise ValueError("must be 3 to 32 letters, digits or hyphens, starting with no hyphen")
    return value


#: A SKU or a warehouse code: upper-cased, then ``^[A-Z0-9][A-Z0-9-]{2,31}$``.
Code = Annotated[str, AfterValidator(_code)]
#: The id of a row, in a body or a query string.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A count of units; a float (even 2.0), a string or a boolean is refused.
Units = Annotated[StrictInt, Field(ge=0, le=MAX_LEVEL)]
