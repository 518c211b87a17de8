"""Comment shapes: create, read."""

from rest_framework import serializers

from ..core.serializers import InputSerializer, PageQuerySerializer, Serializer
from .models import MAX_BODY_LENGTH


class CommentSerializer(Serializer):
    """A comment as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    task_id = serializers.IntegerField(read_only=True)
    author_id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CommentCreateSerializer(InputSerializer):
    """A new comment on a task."""

    body = serializers.CharField(max_length=MAX_BODY_LENGTH)


class CommentQuerySerializer(PageQuerySerializer):
    """The page of ``GET /tasks/{task_id}/comments`` (oldest first)."""
