"""Stock shapes: levels, movements to record, the ledger and its filters."""

from typing import Any

from rest_framework import serializers

from ..core.serializers import (
    IdField,
    InputSerializer,
    PageQuerySerializer,
    StrictCharField,
    StrictIntegerField,
)
from ..products.fields import MAX_QUANTITY
from .models import MovementType

MAX_REASON_LENGTH = 500
_SINGLE_WAREHOUSE = {MovementType.RECEIVE, MovementType.SHIP, MovementType.ADJUST}


class MovementCreateSerializer(InputSerializer):
    """A movement to record.

    ``receive``, ``ship`` and ``adjust`` name a ``warehouse_id``; a ``transfer`` names
    ``from_warehouse_id`` and ``to_warehouse_id``. ``quantity`` is a positive number
    of units, except for an ``adjust``: signed, not zero, and it needs a ``reason``.
    """

    type = serializers.ChoiceField(choices=MovementType.choices)
    product_id = IdField()
    quantity = StrictIntegerField(min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY)
    warehouse_id = IdField(required=False, allow_null=True)
    from_warehouse_id = IdField(required=False, allow_null=True)
    to_warehouse_id = IdField(required=False, allow_null=True)
    reason = StrictCharField(max_length=MAX_REASON_LENGTH, required=False, allow_null=True)

    def validate_quantity(self, value: int) -> int:
        """No movement moves nothing."""
        if value == 0:
            raise serializers.ValidationError("must not be zero")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Check the fields against the type; each error names the field at fault."""
        kind = attrs["type"]
        errors: dict[str, str] = {}
        if attrs["quantity"] < 0 and kind != MovementType.ADJUST:
            errors["quantity"] = "must be positive (only an adjust may be negative)"
        warehouse = attrs.get("warehouse_id")
        source, target = attrs.get("from_warehouse_id"), attrs.get("to_warehouse_id")
        if kind in _SINGLE_WAREHOUSE:
            if warehouse is None:
                errors["warehouse_id"] = f"is required for a {kind}"
            for name, value in (("from_warehouse_id", source), ("to_warehouse_id", target)):
                if value is not None:
                    errors[name] = "is only used by a transfer: give warehouse_id"
        else:
            if warehouse is not None:
                errors["warehouse_id"] = (
                    "is not used by a transfer (it takes from_ and to_warehouse_id)"
                )
            for name, value in (("from_warehouse_id", source), ("to_warehouse_id", target)):
                if value is None:
                    errors[name] = "is required for a transfer"
            if source is not None and source == target:
                errors["to_warehouse_id"] = "must differ from from_warehouse_id"
        if kind == MovementType.ADJUST and attrs.get("reason") is None:
            errors["reason"] = "is required for an adjust"
        if errors:
            raise serializers.ValidationError({name: [message] for name, message in errors.items()})
        return attrs


class MovementSerializer(serializers.Serializer):
    """One entry of the ledger: ``quantity`` is the signed change of one level."""

    id = serializers.IntegerField(read_only=True)
    type = serializers.ChoiceField(choices=MovementType.choices, read_only=True)
    product_id = serializers.IntegerField(read_only=True)
    warehouse_id = serializers.IntegerField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(read_only=True, allow_null=True)
    transfer_id = serializers.CharField(read_only=True, allow_null=True)
    counterpart_warehouse_id = serializers.IntegerField(read_only=True, allow_null=True)
    created_by_id = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class StockLevelSerializer(serializers.Serializer):
    """How many units of a product one warehouse holds."""

    product_id = serializers.IntegerField(read_only=True)
    warehouse_id = serializers.IntegerField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class MovementReceiptSerializer(serializers.Serializer):
    """What ``POST /movements`` wrote: its movements (two for a transfer) and the levels
    they changed, as they stand after the movement.
    """

    movements = MovementSerializer(many=True, read_only=True)
    levels = StockLevelSerializer(many=True, read_only=True)


class StockQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /stock``."""

    product_id = IdField(required=False)
    warehouse_id = IdField(required=False)


class MovementQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /movements``."""

    product_id = IdField(required=False)
    warehouse_id = IdField(required=False)
    type = serializers.ChoiceField(choices=MovementType.choices, required=False)
