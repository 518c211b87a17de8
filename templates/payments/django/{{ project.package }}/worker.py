"""The webhook worker: ``python -m <package>.worker`` sends due deliveries, with retries.

It runs beside the server as a process of its own: ``core/delivery.py`` sends
(signed posts, the retry schedule, the rounds) and ``webhooks/delivery.py`` claims
and records. SIGTERM or Ctrl-C stops it after the current round.
"""

import os

from .core.delivery import parse_arguments, serve


def main(argv: list[str] | None = None) -> int:
    """Deliver until SIGTERM or Ctrl-C (or one round with ``--once``)."""
    args = parse_arguments(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{__package__}.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connections

    from .webhooks.delivery import run_once

    try:
        return serve(
            run_once,
            once=args.once,
            poll_seconds=settings.WORKER_POLL_SECONDS,
            unavailable=(DatabaseError,),
            reconnect=connections.close_all,
        )
    finally:
        connections.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
