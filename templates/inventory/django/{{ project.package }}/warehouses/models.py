"""Warehouses: the places stock is kept."""

from django.db import models

from ..core.catalog_rules import MAX_CODE_LENGTH, MAX_NAME_LENGTH
from ..core.fields import ExactCharField


class Warehouse(models.Model):
    """A warehouse, known by its code."""

    code = ExactCharField(max_length=MAX_CODE_LENGTH, unique=True)
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "warehouses"

    def __str__(self) -> str:
        return self.code
