"""The webhook worker with the job queue: ``python -m <package>.worker``.

One process: a Dramatiq worker with a few threads runs the delivery jobs
(``jobs/delivery.py``, ``core/delivery_jobs.py``), enqueued after each commit that
writes deliveries; the main thread sweeps (at start, then every ``QUEUE_SWEEP_SECONDS``)
for pending deliveries the queue lost and keeps a heartbeat for ``--health``
(``core/queue.py``'s ``worker_main``). SIGTERM or Ctrl-C stops it after the jobs that
run. ``--once`` sweeps, waits for the queue to drain, and exits.
"""

import os


def main(argv: list[str] | None = None) -> int:
    """Run the delivery jobs until SIGTERM or Ctrl-C (``--once``: sweep and drain)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{__package__}.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connections

    from .core.queue import worker_main
    from .jobs.delivery import jobs

    try:
        return worker_main(
            argv,
            package=__package__,
            prefix=settings.QUEUE_PREFIX,
            jobs=jobs,
            sweep_seconds=settings.QUEUE_SWEEP_SECONDS,
            stop_seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 5,
            unavailable=(DatabaseError,),
            reconnect=connections.close_all,
        )
    finally:
        connections.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
