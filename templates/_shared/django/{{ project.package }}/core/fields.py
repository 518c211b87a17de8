"""Model fields shared by the apps."""

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    # Django's fields take no type arguments at run time; django-stubs' do (set, get).
    _CharField = models.CharField[str, str]
else:
    _CharField = models.CharField


class ExactCharField(_CharField):
    """A CharField compared exactly (case and accents) on every database.

    PostgreSQL and SQLite compare strings exactly already; MySQL's default collation
    would call "Home" and "home" (or "Cafe" and "Café") the same, so there the column
    gets the binary collation. Unique constraints on it are then exact everywhere.
    """

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        """The column type, with utf8mb4_bin on MySQL and MariaDB."""
        parameters = super().db_parameters(connection)
        if connection.vendor == "mysql":
            parameters["collation"] = "utf8mb4_bin"
        return parameters
