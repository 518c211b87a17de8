"""Operations from the command line: ``python -m <package>.manage COMMAND``."""

import argparse
import getpass
import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import OperationalError

from .core.config import Settings, get_settings
from .db import Database
from .db_admin import NEEDS_SERVER, create_database, drop_database
from .services import users

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    """Alembic's configuration for this package; works without alembic.ini (in the image)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Passed as an attribute, not an option, so that a "%" in a password is not
    # read as ConfigParser interpolation.
    config.attributes["database_url"] = settings.database_url
    return config


def migrate(settings: Settings, revision: str = "head") -> None:
    """Upgrade the database to ``revision``."""
    command.upgrade(alembic_config(settings), revision)


def create_admin(settings: Settings, email: str | None, password: str | None) -> str:
    """Create or promote an admin; return its email."""
    email = email or settings.first_admin_email
    password = password or settings.first_admin_password or os.environ.get("ADMIN_PASSWORD")
    if not email:
        raise SystemExit("create-admin: give --email or set FIRST_ADMIN_EMAIL")
    if not password:
        if not sys.stdin.isatty():
            raise SystemExit("create-admin: set FIRST_ADMIN_PASSWORD or run it in a terminal")
        password = getpass.getpass(f"Password for {email}: ")
    if len(password) < 8:
        raise SystemExit("create-admin: the password needs at least 8 characters")
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            return users.create_admin(session, email, password, settings).email
    finally:
        database.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit status 0 on success."""
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("create-database", help="create the DATABASE_URL database if missing")
    dropping = commands.add_parser("drop-database", help="drop the DATABASE_URL database")
    dropping.add_argument("--yes", action="store_true", help="really drop it")
    upgrade = commands.add_parser("migrate", help="apply the database migrations")
    upgrade.add_argument("revision", nargs="?", default="head")
    admin = commands.add_parser("create-admin", help="create or promote an admin user")
    admin.add_argument("--email", help="defaults to FIRST_ADMIN_EMAIL")
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        run(args, settings)
    except OperationalError as exc:
        if NEEDS_SERVER:
            # No server there, or one that refuses the user: say so, and what to do.
            from .core.database_help import unreachable

            raise SystemExit(unreachable(args.command, settings.database_url, exc)) from None
        raise
    return 0


def run(args: argparse.Namespace, settings: Settings) -> None:
    """Run the parsed command."""
    if args.command == "create-database":
        created = create_database(settings.database_url)
        print("database created" if created else "database exists")
    elif args.command == "drop-database":
        if not args.yes:
            raise SystemExit("drop-database: add --yes to drop the database and all its data")
        drop_database(settings.database_url)
        print("database dropped")
    elif args.command == "migrate":
        migrate(settings, args.revision)
        print(f"database at revision {args.revision}")
    else:
        print(f"admin ready: {create_admin(settings, args.email, None)}")


if __name__ == "__main__":
    raise SystemExit(main())
