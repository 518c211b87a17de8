"""The mail worker (feature "queue"): ``python -m <package>.worker``.

One process: a Dramatiq worker with a few threads runs the mail jobs (``jobs.py``,
``core/mail_jobs.py``), enqueued after each commit that writes an outbox message; the
main thread sweeps (at start, then every ``QUEUE_SWEEP_SECONDS``) for pending messages
the queue lost and keeps a heartbeat for ``--health``. SIGTERM or Ctrl-C stops it after
the jobs that run. ``--once`` sweeps, waits for the queue to drain, and exits.
"""

import argparse
import logging

from sqlalchemy.exc import SQLAlchemyError

from .core import logs
from .core.config import get_settings
from .core.queue import healthy, heartbeat_path, run_worker


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The worker's command line: ``python -m <package>.worker [--once | --health]``."""
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.worker")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="sweep, drain the queue, then exit")
    mode.add_argument(
        "--health", action="store_true", help="exit 0 if a worker runs (its heartbeat is fresh)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Send the outbox's mail until SIGTERM or Ctrl-C (``--once``: sweep and drain)."""
    args = parse_arguments(argv)
    settings = get_settings()
    heartbeat = heartbeat_path(f"{__package__}-worker", settings.queue_prefix)
    if args.health:
        return 0 if healthy(heartbeat) else 1
    logs.configure(settings.log_level, settings.log_format)
    from .db import Database
    from .jobs import MailJobs

    database = Database(settings.database_url)
    jobs = MailJobs(database, settings)
    if jobs.config.server is None:
        logging.getLogger(__name__).warning(
            "SMTP_URL is empty: no mail is sent, the messages stay in the outbox"
        )
    try:
        return run_worker(
            jobs.queue,
            sweep=jobs.sweep,
            sweep_seconds=settings.queue_sweep_seconds,
            heartbeat=heartbeat,
            once=args.once,
            stop_seconds=2 * settings.mail_timeout_seconds + 5,
            unavailable=(SQLAlchemyError,),
        )
    finally:
        jobs.queue.close()
        database.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
