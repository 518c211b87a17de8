"""The posts app."""

from django.apps import AppConfig


class PostsConfig(AppConfig):
    """Posts of the blog API."""

    name = __package__ or "posts"
    label = "posts"
