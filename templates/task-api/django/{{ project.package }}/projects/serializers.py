"""Project shapes: create, update, read, list query."""

from rest_framework import serializers

from ..core.serializers import InputSerializer, PageQuerySerializer, Serializer
from .models import MAX_NAME_LENGTH

MAX_DESCRIPTION_LENGTH = 10_000


class ProjectSerializer(Serializer):
    """A project as the API shows it, with the number of tasks it groups."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    task_count = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ProjectCreateSerializer(InputSerializer):
    """A new project; the name must differ from your other projects' names."""

    name = serializers.CharField(max_length=MAX_NAME_LENGTH)
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION_LENGTH, allow_null=True, allow_blank=True, required=False
    )


class ProjectUpdateSerializer(InputSerializer):
    """Fields to change; those left out stay as they are, null clears the description."""

    name = serializers.CharField(max_length=MAX_NAME_LENGTH, required=False)
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION_LENGTH, allow_null=True, allow_blank=True, required=False
    )


class ProjectQuerySerializer(PageQuerySerializer):
    """The page of ``GET /projects`` (sorted by name)."""
