"""Structured logs, whatever the framework: one line per request, one per error.

Each framework's request-id middleware calls :func:`bind_request` when a request comes
in and :func:`log_request` when its answer is made; every record logged in between
(the error handlers' ``logger.exception`` included) carries that request's id.

- ``LOG_FORMAT=json`` (the default): one JSON object per line on stderr (as gunicorn's
  own lines; stdout stays the commands' output), with ``time``,
  ``level``, ``logger``, ``message`` and ``request_id``; a request line adds
  ``method``, ``path``, ``status`` and ``duration_ms``, an error line ``exc_type`` and
  ``traceback``. ``LOG_FORMAT=text``: the same records as plain lines, for a terminal.
- ``LOG_LEVEL`` (default ``INFO``) filters every logger; ``ACCESS_LOG=0`` drops the
  request lines alone (where the proxy in front logs requests already).
- What is never logged: headers (``Authorization`` included), bodies, query strings
  (they may carry tokens). The path is logged without its query.
"""

import json
import logging
import sys
import time
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any, Literal

REQUEST_LOGGER = "app.requests"
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_REQUEST_FIELDS = ("method", "path", "status", "duration_ms")
#: Loggers that would say again what the request line says (Django's "Not Found: /x").
_QUIET = {"django.request": logging.ERROR, "django.server": logging.ERROR}


def bind_request(request_id: str) -> float:
    """Make ``request_id`` the id of what is logged from here on; return the start time."""
    _request_id.set(request_id)
    return time.perf_counter()


def log_request(method: str, path: str, status: int, started: float) -> None:
    """Log the line of a request answered with ``status`` (``started``: from bind_request)."""
    duration_ms = round((time.perf_counter() - started) * 1000, 2)
    fields = {"method": method, "path": path, "status": status, "duration_ms": duration_ms}
    logging.getLogger(REQUEST_LOGGER).info(
        "%s %s %s %.2fms", method, path, status, duration_ms, extra=fields
    )


class _RequestId(logging.Filter):
    """Give every record the id of the request it was logged in (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in _REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class _TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")


class _Stderr:
    """Whatever ``sys.stderr`` is when a record is written (a test run replaces it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


class ServiceHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler :func:`configure` installs on the root logger (one at a time)."""


def configure(
    level: str = "INFO",
    log_format: Literal["json", "text"] = "json",
    *,
    access_log: bool = True,
    stream: IO[str] | None = None,
) -> ServiceHandler:
    """Send every logger's records to ``stream`` (stderr) as JSON or text lines.

    Called again (each app a test builds), it replaces its own handler and leaves any
    other (pytest's) in place.
    """
    handler = ServiceHandler(stream if stream is not None else _Stderr())
    handler.setFormatter(JsonFormatter() if log_format == "json" else _TextFormatter())
    handler.addFilter(_RequestId())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, ServiceHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    requests = logging.getLogger(REQUEST_LOGGER)
    requests.setLevel(logging.NOTSET if access_log else logging.CRITICAL + 1)
    for name, quiet in _QUIET.items():
        logging.getLogger(name).setLevel(quiet)
    return handler
