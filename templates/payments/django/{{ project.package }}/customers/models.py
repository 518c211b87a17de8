"""Customers of a merchant (a user)."""

from django.conf import settings
from django.db import models

MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 320


class Customer(models.Model):
    """Someone a merchant charges; payments may name one."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customers"
    )
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    # Kept in lower case, so that the email filter matches however it was typed.
    email = models.CharField(max_length=MAX_EMAIL_LENGTH, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "customers"

    def __str__(self) -> str:
        return self.name
