"""Posts: a title, a unique slug, a body, draft or published, tags, one author."""

from django.conf import settings
from django.db import models

from ..core.fields import ExactCharField

MAX_TITLE_LENGTH = 200
MAX_SLUG_LENGTH = 220
MAX_BODY_LENGTH = 100_000


class PostStatus(models.TextChoices):
    """Whether a post is public."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Post(models.Model):
    """A blog post of one author; its comments and tag links go with it."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    # Made from the title when the post is written; it never changes, so links keep working.
    slug = ExactCharField(max_length=MAX_SLUG_LENGTH, unique=True)
    # A TEXT column everywhere (LONGTEXT on MySQL, whose TEXT holds only 64 KiB).
    body = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT, db_index=True
    )
    # Set when the post is first published; unpublishing keeps it.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    tags = models.ManyToManyField("tags.Tag", related_name="posts", db_table="post_tags")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "posts"

    def __str__(self) -> str:
        return self.slug

    @property
    def is_published(self) -> bool:
        """Published posts are public."""
        return self.status == PostStatus.PUBLISHED
