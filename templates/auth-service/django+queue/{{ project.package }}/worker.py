"""The mail worker (feature "queue"): ``python -m <package>.worker``.

One process: a Dramatiq worker with a few threads runs the mail jobs (``jobs/mail.py``,
``core/mail_jobs.py``), enqueued after each commit that writes an outbox message; the
main thread sweeps (at start, then every ``QUEUE_SWEEP_SECONDS``) for pending messages
the queue lost and keeps a heartbeat for ``--health``. SIGTERM or Ctrl-C stops it after
the jobs that run. ``--once`` sweeps, waits for the queue to drain, and exits.
"""

import argparse
import logging
import os


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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{__package__}.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connections

    from .core.queue import healthy, heartbeat_path, run_worker
    from .jobs.mail import jobs

    heartbeat = heartbeat_path(f"{__package__}-worker", settings.QUEUE_PREFIX)
    if args.health:
        return 0 if healthy(heartbeat) else 1
    worker_jobs = jobs()
    if worker_jobs.config.server is None:
        logging.getLogger(__name__).warning(
            "SMTP_URL is empty: no mail is sent, the messages stay in the outbox"
        )
    try:
        return run_worker(
            worker_jobs.queue,
            sweep=worker_jobs.sweep,
            sweep_seconds=settings.QUEUE_SWEEP_SECONDS,
            heartbeat=heartbeat,
            once=args.once,
            stop_seconds=2 * settings.MAIL_TIMEOUT_SECONDS + 5,
            unavailable=(DatabaseError,),
            reconnect=connections.close_all,
        )
    finally:
        worker_jobs.queue.close()
        connections.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
