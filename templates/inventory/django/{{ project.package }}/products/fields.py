"""Field types of the inventory: codes (SKUs, warehouse codes) and quantities."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..core.catalog_rules import CODE_AS_SENT, checked_code
from ..core.serializers import StrictCharField, StrictIntegerField
from ..core.stock_rules import MAX_LEVEL


@extend_schema_field({"type": "string", "pattern": CODE_AS_SENT})
class CodeField(StrictCharField):
    """A SKU or a warehouse code: stripped, upper-cased, then ``^[A-Z0-9][A-Z0-9-]{2,31}$``."""

    def to_internal_value(self, data: Any) -> str:
        """The code in upper case, or a validation error."""
        try:
            return checked_code(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class UnitsField(StrictIntegerField):
    """A count of units (0..MAX_LEVEL); a float (even 2.0), a string or a boolean is refused."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_LEVEL)
        super().__init__(**kwargs)
