"""OPTIONS and 405 answers name the methods a path serves: those of the OpenAPI document.

Starlette answers a wrong method with the methods of the first route whose path
matches, and FastAPI has no OPTIONS of its own. Here both come from the document
the routes make, so ``Allow`` lists exactly the documented methods (and OPTIONS), as
on every framework. An ``{x_id}`` takes digits only, as the routes' ``:int`` does.
"""

import re

from fastapi import FastAPI
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")


def path_pattern(template: str) -> re.Pattern[str]:
    """The paths an OpenAPI template stands for (``/users/{user_id}``: ``/users/42``)."""
    parts = re.split(r"(\{\w+\})", template)
    source = "".join(
        ("[0-9]+" if part.endswith("_id}") else "[^/]+")
        if part.startswith("{")
        else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{source}$")


def _path_methods(app: FastAPI) -> list[tuple[re.Pattern[str], list[str]]]:
    table = getattr(app.state, "path_methods", None)
    if table is None:
        table = [
            (path_pattern(template), [method for method in ORDER if method.lower() in item])
            for template, item in app.openapi()["paths"].items()
        ]
        app.state.path_methods = table
    return table


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The documented methods of ``path``, then OPTIONS (empty for an unknown path)."""
    found = {m for pattern, methods in _path_methods(app) if pattern.match(path) for m in methods}
    ordered = [method for method in ORDER if method in found]
    return [*ordered, "OPTIONS"] if ordered else []


class AnswerOptions:
    """ASGI middleware: ``OPTIONS`` on a known path is a 204 with ``Allow``, for anyone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer OPTIONS requests; pass everything else on."""
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            methods = allowed_methods(scope["app"], scope["path"])
            if methods:
                response = Response(status_code=204, headers={"Allow": ", ".join(methods)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
