"""The tags app."""

from django.apps import AppConfig


class TagsConfig(AppConfig):
    """Tags of the blog API."""

    name = __package__ or "tags"
    label = "tags"
