"""``manage create_admin``: create or promote the admin FIRST_ADMIN_EMAIL."""

import getpass
import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ....accounts import services

MIN_PASSWORD_LENGTH = 8


class Command(BaseCommand):
    """The password comes from FIRST_ADMIN_PASSWORD, ADMIN_PASSWORD or a prompt."""

    help = "create or promote an admin user"

    def add_arguments(self, parser: ArgumentParser) -> None:
        """--email, else FIRST_ADMIN_EMAIL."""
        parser.add_argument("--email", help="defaults to FIRST_ADMIN_EMAIL")

    def handle(self, *args: Any, **options: Any) -> None:
        """Create or promote the admin."""
        email = options["email"] or settings.FIRST_ADMIN_EMAIL
        password = settings.FIRST_ADMIN_PASSWORD or os.environ.get("ADMIN_PASSWORD")
        if not email:
            raise CommandError("give --email or set FIRST_ADMIN_EMAIL")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError("set FIRST_ADMIN_PASSWORD or run it in a terminal")
            password = getpass.getpass(f"Password for {email}: ")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise CommandError("the password needs at least 8 characters")
        user = services.create_admin(email, password)
        self.stdout.write(f"admin ready: {user.email}")
