"""Field types of the inventory: ids, codes (SKUs, warehouse codes) and quantities."""

from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt, WithJsonSchema

from ..core.catalog_rules import CODE_AS_SENT, checked_code
from ..core.stock_rules import MAX_LEVEL
from .common import MAX_ID

#: A SKU or a warehouse code: upper-cased, then ``^[A-Z0-9][A-Z0-9-]{2,31}$``.
Code = Annotated[
    str,
    AfterValidator(checked_code),
    WithJsonSchema({"type": "string", "pattern": CODE_AS_SENT}),
]
#: The id of a row, in a body or a query string.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A count of units; a float (even 2.0), a string or a boolean is refused.
Units = Annotated[StrictInt, Field(ge=0, le=MAX_LEVEL)]
