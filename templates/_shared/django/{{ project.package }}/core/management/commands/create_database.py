"""``manage create_database``: create the DATABASE_URL database if it is missing."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ...database import create_database


class Command(BaseCommand):
    """Create the database (the server user needs the right to create databases)."""

    help = "create the DATABASE_URL database if it is missing"
    requires_system_checks = ()

    def handle(self, *args: Any, **options: Any) -> None:
        """Create it, or say that it exists."""
        created = create_database(settings.DATABASES["default"])
        self.stdout.write("database created" if created else "database exists")
