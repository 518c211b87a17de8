"""Tags, named in lowercase."""

from django.db import models

from ..core.fields import ExactCharField

MAX_TAG_LENGTH = 30


class Tag(models.Model):
    """A tag, made the first time a post uses it."""

    name = ExactCharField(max_length=MAX_TAG_LENGTH, unique=True)

    class Meta:
        db_table = "tags"

    def __str__(self) -> str:
        return self.name
