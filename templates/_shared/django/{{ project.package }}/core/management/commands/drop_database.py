"""``manage drop_database --yes``: drop the DATABASE_URL database and all its data."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...database import drop_database


class Command(BaseCommand):
    """Drop the database; asks for --yes."""

    help = "drop the DATABASE_URL database and all its data"
    requires_system_checks = ()

    def add_arguments(self, parser: ArgumentParser) -> None:
        """--yes confirms."""
        parser.add_argument("--yes", action="store_true", help="really drop it")

    def handle(self, *args: Any, **options: Any) -> None:
        """Drop it."""
        if not options["yes"]:
            raise CommandError("add --yes to drop the database and all its data")
        drop_database(settings.DATABASES["default"])
        self.stdout.write("database dropped")
