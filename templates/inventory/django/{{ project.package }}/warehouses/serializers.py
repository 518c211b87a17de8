"""Warehouse shapes: create, rename, read."""

from rest_framework import serializers

from ..core.catalog_rules import MAX_NAME_LENGTH
from ..core.serializers import InputSerializer, PageQuerySerializer, Serializer, StrictCharField
from ..products.fields import CodeField


class WarehouseSerializer(Serializer):
    """A warehouse as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class WarehouseCreateSerializer(InputSerializer):
    """A new warehouse: a unique code and a name."""

    code = CodeField()
    name = StrictCharField(max_length=MAX_NAME_LENGTH)


class WarehouseUpdateSerializer(InputSerializer):
    """A new name; the code cannot change."""

    name = StrictCharField(max_length=MAX_NAME_LENGTH, required=False)


class WarehouseQuerySerializer(PageQuerySerializer):
    """The page of ``GET /warehouses`` (sorted by code)."""
