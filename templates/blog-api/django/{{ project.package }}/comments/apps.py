"""The comments app."""

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Comments of the blog API."""

    name = __package__ or "comments"
    label = "comments"
