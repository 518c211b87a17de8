"""Django's command line, inside the package: ``python -m <package>.manage COMMAND``.

It works in the image too, where only the installed package is present: migrate,
create_database, drop_database --yes, create_admin, makemigrations, check, ...
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run one Django management command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{__package__}.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    argv = argv or sys.argv
    try:
        execute_from_command_line(argv)
    except OperationalError as exc:
        from .core import database

        if database.NEEDS_SERVER:
            # No server there, or one that refuses the user: say so, and what to do.
            from .core.database_help import unreachable

            command = argv[1] if len(argv) > 1 else "manage"
            url = os.environ.get("DATABASE_URL", "")
            raise SystemExit(unreachable(command, url, exc)) from None
        raise


if __name__ == "__main__":
    main()
