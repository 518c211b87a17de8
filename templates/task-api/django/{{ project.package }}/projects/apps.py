"""The projects app."""

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects of the task API."""

    name = __package__ or "projects"
    label = "projects"
