"""Product shapes: create, update, read, list query."""

from rest_framework import serializers

from ..core.catalog_rules import MAX_CATEGORY_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH
from ..core.money import MoneySerializer
from ..core.serializers import (
    InputSerializer,
    PageQuerySerializer,
    Serializer,
    StrictBooleanField,
    StrictCharField,
)
from .fields import CodeField, UnitsField


class ProductSerializer(Serializer):
    """A product as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    sku = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    price = MoneySerializer(read_only=True)
    category = serializers.CharField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    low_stock_threshold = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ProductCreateSerializer(InputSerializer):
    """A new product; ``sku``, ``name`` and ``price`` are required."""

    sku = CodeField()
    name = StrictCharField(max_length=MAX_NAME_LENGTH)
    description = StrictCharField(
        max_length=MAX_DESCRIPTION_LENGTH, allow_null=True, allow_blank=True, default=None
    )
    price = MoneySerializer()
    category = StrictCharField(max_length=MAX_CATEGORY_LENGTH, allow_null=True, default=None)
    is_active = StrictBooleanField(default=True)
    low_stock_threshold = UnitsField(default=0)


class ProductUpdateSerializer(InputSerializer):
    """Fields to change; those left out stay, null clears description and category.

    The SKU cannot change: it is how other systems know the product.
    """

    name = StrictCharField(max_length=MAX_NAME_LENGTH, required=False)
    description = StrictCharField(
        max_length=MAX_DESCRIPTION_LENGTH, allow_null=True, allow_blank=True, required=False
    )
    price = MoneySerializer(required=False)
    category = StrictCharField(max_length=MAX_CATEGORY_LENGTH, allow_null=True, required=False)
    is_active = StrictBooleanField(required=False)
    low_stock_threshold = UnitsField(required=False)


class ProductQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /products``; ``q`` matches part of the SKU or the name."""

    # Empty is a category like any other (none has it), as on every framework.
    category = serializers.CharField(
        max_length=MAX_CATEGORY_LENGTH, required=False, allow_blank=True
    )
    is_active = serializers.BooleanField(required=False)
    q = serializers.CharField(max_length=MAX_NAME_LENGTH, required=False)
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor = serializers.CharField(required=False, min_length=1, max_length=1024)
