"""Comment shapes: create, read."""

from rest_framework import serializers

from ..core.serializers import InputSerializer, PageQuerySerializer, Serializer, StrictCharField
from .models import MAX_COMMENT_LENGTH


class CommentSerializer(Serializer):
    """A comment as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    post_id = serializers.IntegerField(read_only=True)
    author_id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CommentCreateSerializer(InputSerializer):
    """A new comment on a published post."""

    body = StrictCharField(max_length=MAX_COMMENT_LENGTH)


class CommentQuerySerializer(PageQuerySerializer):
    """The page of ``GET /posts/{slug}/comments`` (oldest first)."""
