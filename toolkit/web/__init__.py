"""``scaffold serve``: a web page and HTTP API over the library (the optional ``web`` extra).

Only the ``serve`` command imports this package, so the rest of the toolkit never
loads Starlette, uvicorn or Pygments. Without the extra installed, :func:`serve`
raises a :class:`WebExtraMissingError` that says how to install it.
"""

from __future__ import annotations

import importlib.util

from ..errors import ScaffoldError

#: What the ``web`` extra installs (``pip install 'scaffold-toolkit[web]'``).
EXTRA_MODULES = ("starlette", "uvicorn", "pygments")


class WebExtraMissingError(ScaffoldError):
    """``scaffold serve`` needs the ``web`` extra, which is not installed."""


def require_extra() -> None:
    """Raise :class:`WebExtraMissingError` unless the ``web`` extra's modules are importable."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise WebExtraMissingError(
            f"scaffold serve needs {', '.join(missing)}: pip install 'scaffold-toolkit[web]'"
        )


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    renders: int | None = None,
    waiting: int | None = None,
) -> None:
    """Run the page and the API until SIGTERM or SIGINT, then finish what is in flight.

    Args:
        host: The address to listen on.
        port: The port to listen on.
        workers: Worker processes (default: one per usable CPU, at most 4).
        renders: Projects made at once per worker (default 4).
        waiting: Requests that may wait for a render per worker (default 64).

    Raises:
        WebExtraMissingError: The ``web`` extra is not installed.
    """
    require_extra()
    from ._server import run

    run(host=host, port=port, workers=workers, renders=renders, waiting=waiting)


__all__ = ["EXTRA_MODULES", "WebExtraMissingError", "require_extra", "serve"]
