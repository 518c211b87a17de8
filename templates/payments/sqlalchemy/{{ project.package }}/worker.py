"""The webhook worker: ``python -m <package>.worker`` sends due deliveries, with retries.

It runs beside the server as a process of its own: ``core/delivery.py`` sends
(signed posts, the retry schedule, the rounds) and ``services/delivery.py`` claims
and records. SIGTERM or Ctrl-C stops it after the current round.
"""

from sqlalchemy.exc import SQLAlchemyError

from .core import logs
from .core.config import get_settings
from .core.delivery import parse_arguments, serve
from .db import Database
from .services.delivery import run_once


def main(argv: list[str] | None = None) -> int:
    """Deliver until SIGTERM or Ctrl-C (or one round with ``--once``)."""
    args = parse_arguments(argv)
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_format)
    database = Database(settings.database_url)
    try:
        return serve(
            lambda: run_once(database, settings),
            once=args.once,
            poll_seconds=settings.worker_poll_seconds,
            unavailable=(SQLAlchemyError,),
        )
    finally:
        database.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
