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

    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
