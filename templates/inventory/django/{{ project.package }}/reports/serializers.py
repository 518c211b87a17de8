"""Report shapes: low stock and valuation."""

from rest_framework import serializers

from ..core.catalog_rules import MAX_CATEGORY_LENGTH
from ..core.serializers import IdField, PageQuerySerializer, QuerySerializer, Serializer


class LowStockQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /reports/low-stock``."""

    # Empty is a category like any other (none has it), as on every framework.
    category = serializers.CharField(
        max_length=MAX_CATEGORY_LENGTH, required=False, allow_blank=True
    )


class LowStockItemSerializer(Serializer):
    """An active product whose total stock is at or below its threshold."""

    product_id = serializers.IntegerField(source="pk", read_only=True)
    sku = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    low_stock_threshold = serializers.IntegerField(read_only=True)
    quantity = serializers.IntegerField(read_only=True, help_text="units across every warehouse")


class ValuationQuerySerializer(QuerySerializer):
    """Filters of ``GET /reports/valuation``."""

    warehouse_id = IdField(required=False)


class CurrencyValueSerializer(Serializer):
    """The value of the stock priced in one currency."""

    currency = serializers.CharField(read_only=True)
    amount = serializers.IntegerField(
        read_only=True, help_text="the sum of level x price, in minor units"
    )
    units = serializers.IntegerField(read_only=True)


class ValuationSerializer(Serializer):
    """Stock value per currency, sorted by currency; a currency with no stock is left out."""

    totals = CurrencyValueSerializer(many=True, read_only=True)
