"""The webhook worker: ``python -m <package>.worker`` sends due deliveries, with retries.

It runs beside the server as a process of its own; the work is done by
``webhooks/delivery.py`` (claims, signed posts, attempts, backoff). SIGTERM or
Ctrl-C stops it after the current round.
"""

import argparse
import logging
import os
import signal
import threading
from typing import Any

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Deliver until SIGTERM or Ctrl-C (or one round with ``--once``)."""
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.worker")
    parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{__package__}.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connections

    from .webhooks.delivery import run_once

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stopping = threading.Event()

    def stop(_signal: int, _frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("webhook worker started")
    try:
        while not stopping.is_set():
            try:
                attempted = run_once()
            except DatabaseError as exc:
                # The database may be starting or not migrated yet: try again later.
                logger.warning("database unavailable: %s", str(exc).splitlines()[0])
                connections.close_all()
                attempted = 0
            if args.once:
                break
            if attempted == 0:
                stopping.wait(settings.WORKER_POLL_SECONDS)
    finally:
        connections.close_all()
    logger.info("webhook worker stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
