"""Tag shapes."""

from rest_framework import serializers

from ..core.serializers import PageQuerySerializer, Serializer


class TagSerializer(Serializer):
    """A tag with the number of published posts that carry it."""

    name = serializers.CharField(read_only=True)
    post_count = serializers.IntegerField(read_only=True)


class TagQuerySerializer(PageQuerySerializer):
    """The page of ``GET /tags`` (most used first, then by name)."""
