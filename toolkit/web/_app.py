"""The ASGI application of ``scaffold serve``: the page, the HTTP API and their limits."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
import anyio.to_thread
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._catalog import Catalog, load_catalog
from .._generate import generate
from .._render import render
from .._version import __version__
from ..errors import GitError
from . import _highlight
from ._archive import FORMATS, Entry, folder_entries, project_entries
from ._metadata import build_metadata, encode
from ._openapi import build_openapi
from ._params import (
    PREVIEW_PARAMETERS,
    SPEC_PARAMETERS,
    BadParameters,
    Choice,
    canonical_query,
    curl_command,
    parse_query,
    read_choice,
    scaffold_command,
)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
log = logging.getLogger("toolkit.web")

#: Headers of every answer. The page loads nothing from elsewhere: the policy says so
#: to the browser too, and forbids inline script and style.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
#: Downloads and previews hold fresh secrets: no cache may keep them.
NO_STORE = {"cache-control": "no-store"}
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """The limits of one worker process (``SCAFFOLD_SERVE_<NAME>`` in the environment).

    Attributes:
        renders: Downloads and previews made at once. Rendering is CPU-bound Python,
            so more at once than a few only queues them inside the process.
        waiting: Requests that may wait for a render; past that they get a 429.
        wait_seconds: How long one may wait before it gets a 429 instead.
        retry_after: The seconds a 429 asks the client to wait (``Retry-After``).
        max_body: The largest request body taken (bytes); larger is a 413.
        max_query: The longest query string taken (bytes); longer is a 414.
    """

    renders: int = 4
    waiting: int = 64
    wait_seconds: float = 10.0
    retry_after: int = 1
    max_body: int = 8 * 1024
    max_query: int = 4 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> ServeSettings:
        """Read the settings from ``SCAFFOLD_SERVE_*`` variables (the workers' channel).

        Raises:
            ValueError: A variable that is not a positive number.
        """
        values: dict[str, Any] = {}
        for item in fields(cls):
            raw = environ.get(f"SCAFFOLD_SERVE_{item.name.upper()}")
            if raw is not None:
                value = float(raw) if item.type == "float" else int(raw)
                if value <= 0 and item.name != "waiting":
                    raise ValueError(f"SCAFFOLD_SERVE_{item.name.upper()} must be positive")
                values[item.name] = value
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """The variables that give these settings to worker processes."""
        return {f"SCAFFOLD_SERVE_{k.upper()}": str(v) for k, v in asdict(self).items()}


class Refusal(Exception):
    """A request refused with a 4xx status and a JSON ``detail``."""

    def __init__(self, status: int, detail: str, headers: Mapping[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})


class _Slots:
    """A bound on the renders of one process, with a bounded, timed wait for a turn."""

    def __init__(self, settings: ServeSettings) -> None:
        self._settings = settings
        self._semaphore: anyio.Semaphore | None = None
        self._waiting = 0

    async def acquire(self) -> bool:
        """Take a turn; ``False`` when too many wait already or the wait runs out."""
        if self._semaphore is None:  # made inside the event loop that will use it
            self._semaphore = anyio.Semaphore(self._settings.renders)
        semaphore = self._semaphore
        if semaphore.value == 0 and self._waiting >= self._settings.waiting:
            return False
        self._waiting += 1
        try:
            with anyio.move_on_after(self._settings.wait_seconds):
                await semaphore.acquire()
                return True
            return False
        finally:
            self._waiting -= 1

    def release(self) -> None:
        """Give a turn back."""
        assert self._semaphore is not None
        self._semaphore.release()


class _HeldResponse(StreamingResponse):
    """A streamed answer that gives its render turn back when it ends, however it ends."""

    def __init__(self, content: Iterator[bytes], *, release: Callable[[], None], **kw: Any):
        super().__init__(content, **kw)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


class _Guard:
    """ASGI middleware: refuse over-long query strings, add the security headers."""

    def __init__(self, app: ASGIApp, *, max_query: int) -> None:
        self.app = app
        self.max_query = max_query

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k.encode() not in names
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if len(scope.get("query_string", b"")) > self.max_query:
            detail = f"query string too long (at most {self.max_query} bytes)"
            await _json(414, {"detail": detail})(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


class Site:
    """The handlers, over one catalog and one process's limits."""

    def __init__(self, catalog: Catalog, settings: ServeSettings) -> None:
        self.catalog = catalog
        self.settings = settings
        self.slots = _Slots(settings)
        self.metadata = build_metadata(catalog)
        self.metadata_body, self.metadata_etag = encode(self.metadata)
        self.openapi_body, _ = encode(build_openapi(catalog))
        self.default_kind = next(iter(catalog.kinds))
        self.pages = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # -- reading requests ---------------------------------------------------------------

    async def _pairs(self, request: Request) -> list[tuple[str, str]]:
        """The query's parameters, and a POSTed form's after them."""
        pairs = parse_query(request.scope.get("query_string", b""))
        if request.method != "POST":
            return pairs
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_body:
            raise Refusal(413, f"request body too large (at most {self.settings.max_body} bytes)")
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > self.settings.max_body:
                    raise Refusal(
                        413, f"request body too large (at most {self.settings.max_body} bytes)"
                    )
        except ClientDisconnect:
            raise Refusal(400, "the request body was cut short") from None
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if body and media_type != FORM_TYPE:
            raise Refusal(415, f"send the parameters as {FORM_TYPE} (curl -d), or in the query")
        return pairs + parse_query(bytes(body))

    async def _choice(self, request: Request, allowed: Sequence[str] = SPEC_PARAMETERS) -> Choice:
        return read_choice(await self._pairs(request), self.catalog, allowed=allowed)

    async def _turn(self) -> None:
        if not await self.slots.acquire():
            raise Refusal(
                429,
                "too many projects are being made at once; try again shortly",
                {"retry-after": str(self.settings.retry_after)},
            )

    # -- the API ------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        """``GET /health``."""
        return _json(200, {"status": "ok", "version": __version__})

    async def metadata_view(self, request: Request) -> Response:
        """``GET /metadata``, with an ETag (304 when it matches)."""
        headers = {"etag": self.metadata_etag, "cache-control": "no-cache"}
        wanted = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
        if self.metadata_etag in wanted or "*" in wanted:
            return Response(status_code=304, headers=headers)
        return Response(self.metadata_body, media_type="application/json", headers=headers)

    async def openapi(self, request: Request) -> Response:
        """``GET /openapi.json``: this API's own OpenAPI document."""
        return Response(self.openapi_body, media_type="application/json")

    def describe(self, choice: Choice, base_url: str) -> dict[str, Any]:
        """What ``GET /spec`` answers: the resolved spec and how else to get it."""
        query = canonical_query(choice, self.catalog)
        return {
            "spec": choice.spec.to_dict(),
            "git": choice.git,
            "query": query,
            "downloads": {fmt: f"/starter.{fmt}?{query}" for fmt in FORMATS},
            "commands": {
                "scaffold": scaffold_command(choice, self.catalog),
                "curl": curl_command(choice, self.catalog, base_url),
            },
        }

    async def spec(self, request: Request) -> Response:
        """``GET /spec``: resolve the parameters without rendering anything."""
        choice = await self._choice(request)
        return _json(200, self.describe(choice, str(request.base_url)))

    async def preview(self, request: Request) -> Response:
        """``GET /preview``: the tree of files, or with ``path`` one file's content."""
        choice = await self._choice(request, PREVIEW_PARAMETERS)
        await self._turn()
        try:
            body = await anyio.to_thread.run_sync(self._preview, choice)
        finally:
            self.slots.release()
        return _json(200, body, NO_STORE)

    def _preview(self, choice: Choice) -> dict[str, Any]:
        project = render(choice.spec, catalog=self.catalog)
        if choice.path is None:
            return {
                "name": choice.spec.name,
                "spec": choice.spec.to_dict(),
                "files": [
                    {"path": str(p), "size": len(f.content), "executable": f.executable}
                    for p, f in project.files.items()
                ],
                "commands": project.commands,
            }
        found = project.files.get(PurePosixPath(choice.path))
        if found is None:
            raise Refusal(404, f"no file {choice.path[:100]!r} in this project")
        try:
            text: str | None = found.content.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        return {
            "path": choice.path,
            "size": len(found.content),
            "executable": found.executable,
            "binary": text is None,
            "text": text,
            "html": None if text is None else _highlight.highlight(choice.path, text),
        }

    async def download(self, request: Request, *, fmt: str) -> Response:
        """``GET|POST /starter.zip`` and ``/starter.tgz``: the project, streamed."""
        choice = await self._choice(request)
        await self._turn()
        try:
            entries = await anyio.to_thread.run_sync(self._entries, choice)
            make_chunks, media_type = FORMATS[fmt]
            name = choice.spec.name
            return _HeldResponse(
                make_chunks(name, entries),
                release=self.slots.release,
                media_type=media_type,
                headers={
                    **NO_STORE,
                    "content-disposition": f'attachment; filename="{name}.{fmt}"',
                },
            )
        except BaseException:
            self.slots.release()
            raise

    def _entries(self, choice: Choice) -> list[Entry]:
        """The archive's entries: rendered in memory, or written and committed with Git."""
        if not choice.git:
            return project_entries(render(choice.spec, catalog=self.catalog))
        # A repository needs real files: the library writes and commits them in a
        # private folder, read back whole before the folder goes.
        scratch = tempfile.mkdtemp(prefix="scaffold-serve-")
        try:
            result = generate(choice.spec, Path(scratch) / choice.spec.name, catalog=self.catalog)
            if result.commit is None:
                raise GitError(f"no repository was made: {result.git_note or 'git was skipped'}")
            return folder_entries(result.path)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    # -- the page -----------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        """``GET /``: the form, filled from the query (a shared link), and its helpers."""
        error: BadParameters | None = None
        choice: Choice | None = None
        pairs: list[tuple[str, str]] = []
        try:
            pairs = parse_query(request.scope.get("query_string", b""))
            choice = read_choice(pairs or [("kind", self.default_kind)], self.catalog)
        except BadParameters as exc:
            error = exc
        state = self._form_state(choice, pairs)
        html = self.pages.get_template("page.html").render(
            metadata=self.metadata,
            state=state,
            error=None if error is None else error.to_dict(),
            described=None if choice is None else self.describe(choice, str(request.base_url)),
            base_url=str(request.base_url),
            version=__version__,
        )
        return HTMLResponse(html)

    def _form_state(self, choice: Choice | None, pairs: list[tuple[str, str]]) -> dict[str, Any]:
        """The form's values: the resolved choice, else what the query named that exists."""
        catalog = self.catalog
        if choice is not None:
            spec = choice.spec
            return {
                "kind": spec.kind,
                "name": "" if spec.name == spec.kind else spec.name,
                "framework": spec.framework,
                "database": spec.database,
                "features": sorted(spec.features),
                "git": choice.git,
            }
        given: dict[str, list[str]] = {}
        for key, value in pairs:
            given.setdefault(key, []).append(value)

        def known(key: str, names: Mapping[str, object], default: str) -> str:
            value = given.get(key, [""])[0]
            return value if value in names else default

        kind = catalog.kinds[known("kind", catalog.kinds, self.default_kind)]
        framework = known("framework", catalog.frameworks, next(iter(kind.offered)))
        offered_dbs = kind.offered.get(framework) or tuple(catalog.databases)
        features = set(catalog.default_features())
        if "feature" in given:
            features = {f for f in given["feature"] if f in catalog.features}
        features -= set(given.get("without", ()))
        return {
            "kind": kind.id,
            "name": given.get("name", [""])[0][:50],
            "framework": framework,
            "database": known("database", catalog.databases, offered_dbs[0]),
            "features": sorted(features),
            "git": given.get("git", ["false"])[0].lower() in {"true", "1", "yes", "on"},
        }

    async def highlight_css(self, request: Request) -> Response:
        """``GET /highlight.css``: the style sheet of the highlighted code."""
        return Response(
            _highlight.style_sheet(),
            media_type="text/css",
            headers={"cache-control": "public, max-age=3600"},
        )


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refusal)
    return _json(exc.status, {"detail": exc.detail}, exc.headers)


async def _bad_parameters(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadParameters)
    return _json(400, exc.to_dict())


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _json(exc.status_code, {"detail": exc.detail}, exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    # A bug or a broken installation (a template, git): logged with its traceback by
    # the server; the client gets one line and no internals.
    if isinstance(exc, GitError):
        log.error("git failed: %s", exc)
        return _json(503, {"detail": "git is not available on this server; ask without git"})
    return _json(500, {"detail": "internal error; the server's log has the details"})


def create_app(
    settings: ServeSettings | None = None, *, catalog: Catalog | None = None
) -> Starlette:
    """Build the application: the page, the API, the static files and the limits.

    Args:
        settings: The limits; read from ``SCAFFOLD_SERVE_*`` by default.
        catalog: What to offer (the toolkit's own catalog by default).
    """
    settings = settings or ServeSettings.from_env()
    site = Site(catalog or load_catalog(), settings)
    routes = [
        Route("/", site.page, methods=["GET"]),
        Route("/health", site.health, methods=["GET"]),
        Route("/metadata", site.metadata_view, methods=["GET"]),
        Route("/spec", site.spec, methods=["GET"]),
        Route("/preview", site.preview, methods=["GET"]),
        Route("/starter.zip", partial(site.download, fmt="zip"), methods=["GET", "POST"]),
        Route("/starter.tgz", partial(site.download, fmt="tgz"), methods=["GET", "POST"]),
        Route("/openapi.json", site.openapi, methods=["GET"]),
        Route("/highlight.css", site.highlight_css, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            Refusal: _refused,
            BadParameters: _bad_parameters,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    app.add_middleware(_Guard, max_query=settings.max_query)
    app.state.site = site
    return app


def app_from_env() -> Starlette:
    """The factory uvicorn's workers call (``toolkit.web._app:app_from_env``)."""
    return create_app()


__all__ = ["Refusal", "ServeSettings", "Site", "app_from_env", "create_app"]
