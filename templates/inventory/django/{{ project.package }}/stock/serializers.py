"""Stock shapes: levels, movements to record, the ledger and its filters."""

from typing import Any

from rest_framework import serializers

from ..core.serializers import (
    IdField,
    InputSerializer,
    PageQuerySerializer,
    Serializer,
    StrictCharField,
    StrictIntegerField,
)
from ..core.stock_rules import MAX_QUANTITY, MAX_REASON_LENGTH, MOVEMENT_FIELDS, movement_problem
from .models import MovementType


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
        problem = movement_problem("quantity", value, None)
        if problem is not None:
            raise serializers.ValidationError(problem)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Check the fields against the type; each error names the field at fault."""
        source = attrs.get("from_warehouse_id")
        errors = {
            name: [problem]
            for name in MOVEMENT_FIELDS
            if (
                problem := movement_problem(
                    name, attrs.get(name), attrs["type"], from_warehouse_id=source
                )
            )
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class MovementSerializer(Serializer):
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


class StockLevelSerializer(Serializer):
    """How many units of a product one warehouse holds."""

    product_id = serializers.IntegerField(read_only=True)
    warehouse_id = serializers.IntegerField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class MovementReceiptSerializer(Serializer):
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
