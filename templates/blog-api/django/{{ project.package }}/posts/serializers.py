"""Post shapes: create, update, read, list query; tags are normalized to lowercase."""

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..core.rows import RelatedNamesField
from ..core.serializers import (
    MAX_ID,
    InputSerializer,
    PageQuerySerializer,
    Serializer,
    StrictCharField,
)
from ..tags.models import MAX_TAG_LENGTH
from .models import MAX_BODY_LENGTH, MAX_TITLE_LENGTH, PostStatus

MAX_TAGS = 10


#: What a tag may be as sent (it is trimmed first): letters of either case, digits and -.
TAG_AS_SENT = r"^[A-Za-z0-9-]+$"


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": MAX_TAG_LENGTH, "pattern": TAG_AS_SENT}
)
class TagNameField(StrictCharField):
    """A tag name: ``" Python "`` is ``"python"``; then 1..30 of a-z, 0-9 and -."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", MAX_TAG_LENGTH)
        kwargs.setdefault(
            "validators",
            [RegexValidator(r"^[a-z0-9-]+$", "Use only a-z, 0-9 and - in tags")],
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        """Strip (done by CharField) and lowercase, before the checks."""
        return str(super().to_internal_value(data)).lower()


class TagListField(serializers.ListField):
    """At most ten tag names; ``"Python"`` and ``"python"`` are one tag."""

    def __init__(self, **kwargs: Any):
        super().__init__(child=TagNameField(), max_length=MAX_TAGS, **kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        """The names, each once, in the order sent (at most ten sent, as on every stack)."""
        if isinstance(data, list) and len(data) > MAX_TAGS:
            raise serializers.ValidationError(
                f"Ensure this field has no more than {MAX_TAGS} elements."
            )
        return list(dict.fromkeys(super().to_internal_value(data)))


class TagNamesField(RelatedNamesField):
    """The names of a post's tags, sorted."""


class PostSerializer(Serializer):
    """A post as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=PostStatus.choices, read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    tags = TagNamesField(read_only=True)
    author_id = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


def _title(**kwargs: Any) -> StrictCharField:
    return StrictCharField(max_length=MAX_TITLE_LENGTH, **kwargs)


def _body(**kwargs: Any) -> StrictCharField:
    return StrictCharField(max_length=MAX_BODY_LENGTH, allow_blank=True, **kwargs)


class PostCreateSerializer(InputSerializer):
    """A new post; a draft unless ``status`` says published."""

    title = _title()
    body = _body(default="")
    status = serializers.ChoiceField(choices=PostStatus.choices, default=PostStatus.DRAFT)
    tags = TagListField(default=list)


class PostUpdateSerializer(InputSerializer):
    """Fields to change; those left out stay as they are. ``tags`` replaces every tag."""

    title = _title(required=False)
    body = _body(required=False)
    status = serializers.ChoiceField(choices=PostStatus.choices, required=False)
    tags = TagListField(required=False)


class PostQuerySerializer(PageQuerySerializer):
    """Filters and page of ``GET /posts``."""

    status = serializers.ChoiceField(choices=PostStatus.choices, default=PostStatus.PUBLISHED)
    tag = serializers.CharField(max_length=MAX_TAG_LENGTH, required=False, allow_blank=True)
    author = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    q = serializers.CharField(max_length=MAX_TITLE_LENGTH, required=False, allow_blank=True)
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor = serializers.CharField(required=False, min_length=1, max_length=1024)
