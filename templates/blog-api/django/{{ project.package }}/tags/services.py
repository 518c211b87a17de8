"""Tags with the number of published posts that carry them."""

from django.db.models import Count, QuerySet

from ..posts.models import PostStatus
from .models import Tag


def list_tags() -> QuerySet[Tag]:
    """Tags of published posts, each with its ``post_count``, most used first, then by name."""
    return (
        Tag.objects.filter(posts__status=PostStatus.PUBLISHED)
        .annotate(post_count=Count("posts"))
        .order_by("-post_count", "name")
    )
