"""Field types of the inventory: codes (SKUs, warehouse codes) and quantities."""

import re
from typing import Any

from rest_framework import serializers

from ..core.serializers import StrictCharField, StrictIntegerField

#: The most units one movement may move.
MAX_QUANTITY = 1_000_000
#: The most units one warehouse may hold of one product.
MAX_LEVEL = 1_000_000_000

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{2,31}")


class CodeField(StrictCharField):
    """A SKU or a warehouse code: stripped, upper-cased, then ``^[A-Z0-9][A-Z0-9-]{2,31}$``."""

    def to_internal_value(self, data: Any) -> str:
        """The code in upper case, or a validation error."""
        value = super().to_internal_value(data).upper()
        if not CODE_PATTERN.fullmatch(value):
            raise serializers.ValidationError(
                "must be 3 to 32 letters, digits or hyphens, starting with no hyphen"
            )
        return value


class UnitsField(StrictIntegerField):
    """A count of units (0..MAX_LEVEL); a float (even 2.0), a string or a boolean is refused."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_LEVEL)
        super().__init__(**kwargs)
