"""Running the application: uvicorn with worker processes, access logs, graceful shutdown."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from types import FrameType
from typing import Any

import uvicorn

from ._app import ServeSettings

#: The factory each worker process calls.
APP = "toolkit.web._app:app_from_env"
#: Seconds a worker gives requests in flight to finish after SIGTERM or SIGINT.
GRACEFUL_SECONDS = 30
#: Connections one worker holds at once; past that uvicorn answers 503 at once.
MAX_CONNECTIONS = 1000
MAX_DEFAULT_WORKERS = 4

#: Timestamped lines: the server's own on stderr, one access line per request on stdout.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {
            "()": "uvicorn.logging.DefaultFormatter",
            "fmt": "%(asctime)s %(levelprefix)s [%(process)d] %(message)s",
            "use_colors": False,
        },
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(asctime)s %(levelprefix)s [%(process)d] %(client_addr)s "%(request_line)s" '
            "%(status_code)s",
            "use_colors": False,
        },
    },
    "handlers": {
        "default": {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "toolkit.web": {"handlers": ["default"], "level": "INFO", "propagate": False},
    },
}


def default_workers() -> int:
    """One worker per CPU this process may use, at most :data:`MAX_DEFAULT_WORKERS`."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(usable or 1, MAX_DEFAULT_WORKERS))


def _stopped(signum: int, frame: FrameType | None) -> None:
    """SIGTERM once the server has shut down gracefully: a clean stop, exit status 0."""
    sys.exit(0)


def run(
    *,
    host: str,
    port: int,
    workers: int | None = None,
    renders: int | None = None,
    waiting: int | None = None,
) -> None:
    """Serve until SIGTERM or SIGINT (see :func:`toolkit.web.serve`)."""
    settings = ServeSettings.from_env()
    changes = {"renders": renders, "waiting": waiting}
    settings = dataclasses.replace(settings, **{k: v for k, v in changes.items() if v is not None})
    # Worker processes are started afresh and build their own app from the environment.
    os.environ.update(settings.to_env())
    # With one worker uvicorn serves in this process and, after its graceful shutdown,
    # raises the SIGTERM it caught again for the handler that was there before: this
    # one, so that the process ends with 0 as the supervisor of several workers does.
    signal.signal(signal.SIGTERM, _stopped)
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers or default_workers(),
        log_config=LOG_CONFIG,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        limit_concurrency=MAX_CONNECTIONS,
        server_header=False,
    )
