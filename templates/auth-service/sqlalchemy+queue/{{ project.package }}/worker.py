"""The mail worker (feature "queue"): ``python -m <package>.worker``.

One process: a Dramatiq worker with a few threads runs the mail jobs (``jobs.py``,
``core/mail_jobs.py``), enqueued after each commit that writes an outbox message; the
main thread sweeps (at start, then every ``QUEUE_SWEEP_SECONDS``) for pending messages
the queue lost and keeps a heartbeat for ``--health`` (``core/queue.py``'s
``worker_main``). SIGTERM or Ctrl-C stops it after the jobs that run. ``--once`` sweeps,
waits for the queue to drain, and exits.
"""

import logging

from sqlalchemy.exc import SQLAlchemyError

from .core import logs
from .core.config import get_settings
from .core.queue import worker_main
from .db import Database


def main(argv: list[str] | None = None) -> int:
    """Send the outbox's mail until SIGTERM or Ctrl-C (``--once``: sweep and drain)."""
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_format)
    from .jobs import MailJobs

    database = Database(settings.database_url)  # connects at its first use

    def jobs() -> MailJobs:
        mail_jobs = MailJobs(database, settings)
        if mail_jobs.config.server is None:
            logging.getLogger(__name__).warning(
                "SMTP_URL is empty: no mail is sent, the messages stay in the outbox"
            )
        return mail_jobs

    try:
        return worker_main(
            argv,
            package=__package__,
            prefix=settings.queue_prefix,
            jobs=jobs,
            sweep_seconds=settings.queue_sweep_seconds,
            stop_seconds=2 * settings.mail_timeout_seconds + 5,
            unavailable=(SQLAlchemyError,),
        )
    finally:
        database.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
