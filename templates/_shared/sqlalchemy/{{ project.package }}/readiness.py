"""Readiness (``GET /ready``): the database answers and every migration is applied.

``/health`` says the process is alive and never touches the database; ``/ready`` says
whether the service can do its work: two small queries (``SELECT 1``, then Alembic's
version table against the heads of the migration scripts, read once per process).
"""

from functools import cache
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@cache
def _heads() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def readiness(session: Session) -> tuple[int, dict[str, str]]:
    """The status code and body of ``/ready``: 200 when ready, 503 when not."""
    try:
        session.execute(text("SELECT 1"))
        current = MigrationContext.configure(session.connection()).get_current_heads()
    except SQLAlchemyError:
        return 503, {"status": "unavailable", "database": "error", "migrations": "unknown"}
    if set(current) != _heads():
        return 503, {"status": "unavailable", "database": "ok", "migrations": "pending"}
    return 200, {"status": "ok", "database": "ok", "migrations": "ok"}
