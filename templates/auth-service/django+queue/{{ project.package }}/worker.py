"""The mail worker (feature "queue"): ``python -m <package>.worker``.

One process: a Dramatiq worker with a few threads runs the mail jobs (``jobs/mail.py``,
``core/mail_jobs.py``), enqueued after each commit that writes an outbox message; the
main thread sweeps (at start, then every ``QUEUE_SWEEP_SECONDS``) for pending messages
the queue lost and keeps a heartbeat for ``--health`` (``core/queue.py``'s
``worker_main``). SIGTERM or Ctrl-C stops it after the jobs that run. ``--once`` sweeps,
waits for the queue to drain, and exits.
"""

import logging
import os


def main(argv: list[str] | None = None) -> int:
    """Send the outbox's mail until SIGTERM or Ctrl-C (``--once``: sweep and drain)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{__package__}.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connections

    from .core.queue import worker_main
    from .jobs.mail import MailJobs, jobs

    def mail_jobs() -> MailJobs:
        worker_jobs = jobs()
        if worker_jobs.config.server is None:
            logging.getLogger(__name__).warning(
                "SMTP_URL is empty: no mail is sent, the messages stay in the outbox"
            )
        return worker_jobs

    try:
        return worker_main(
            argv,
            package=__package__,
            prefix=settings.QUEUE_PREFIX,
            jobs=mail_jobs,
            sweep_seconds=settings.QUEUE_SWEEP_SECONDS,
            stop_seconds=2 * settings.MAIL_TIMEOUT_SECONDS + 5,
            unavailable=(DatabaseError,),
            reconnect=connections.close_all,
        )
    finally:
        connections.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
