"""Comments of signed-in users on posts."""

from django.conf import settings
from django.db import models

MAX_COMMENT_LENGTH = 5000


class Comment(models.Model):
    """A comment on a post; it goes when the post goes."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "comments"

    def __str__(self) -> str:
        return self.body[:50]
