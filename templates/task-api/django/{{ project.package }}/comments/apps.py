"""The comments app."""

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Comments of the task API."""

    name = __package__ or "comments"
    label = "comments"
