"""Comments on tasks."""

from django.conf import settings
from django.db import models

MAX_BODY_LENGTH = 2000


class Comment(models.Model):
    """A comment someone who sees the task wrote on it; it goes with the task."""

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "comments"

    def __str__(self) -> str:
        return self.body[:50]
