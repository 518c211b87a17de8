"""The tasks app."""

from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Tasks of the task API."""

    name = __package__ or "tasks"
    label = "tasks"
