"""The webhook worker with the job queue: ``python -m <package>.worker``.

One process: a Dramatiq worker with a few threads runs the delivery jobs (``jobs.py``,
``core/delivery_jobs.py``), enqueued after each commit that writes deliveries; the main
thread sweeps (at start, then every ``QUEUE_SWEEP_SECONDS``) for pending deliveries the
queue lost and keeps a heartbeat for ``--health`` (``core/queue.py``'s ``worker_main``).
SIGTERM or Ctrl-C stops it after the jobs that run. ``--once`` sweeps, waits for the
queue to drain, and exits. The database side is ``services/delivery.py``'s, the polling
worker's.
"""

from sqlalchemy.exc import SQLAlchemyError

from .core import logs
from .core.config import get_settings
from .core.queue import worker_main
from .db import Database


def main(argv: list[str] | None = None) -> int:
    """Run the delivery jobs until SIGTERM or Ctrl-C (``--once``: sweep and drain)."""
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_format)
    from .jobs import WebhookJobs

    database = Database(settings.database_url)  # connects at its first use
    try:
        return worker_main(
            argv,
            package=__package__,
            prefix=settings.queue_prefix,
            jobs=lambda: WebhookJobs(database, settings),
            sweep_seconds=settings.queue_sweep_seconds,
            stop_seconds=settings.webhook_timeout_seconds + 5,
            unavailable=(SQLAlchemyError,),
        )
    finally:
        database.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
