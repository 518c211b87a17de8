"""Projects: named groups of one user's tasks."""

from django.conf import settings
from django.db import models

from ..core.fields import ExactCharField

MAX_NAME_LENGTH = 100


class Project(models.Model):
    """A project of one user; its name is unique among that user's projects."""

    # Indexed by the unique constraint, which leads with owner_id.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects", db_index=False
    )
    name = ExactCharField(max_length=MAX_NAME_LENGTH)
    description = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "projects"
        constraints = (
            models.UniqueConstraint(fields=["owner", "name"], name="uq_projects_owner_id_name"),
        )

    def __str__(self) -> str:
        return self.name
