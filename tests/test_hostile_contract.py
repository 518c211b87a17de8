"""The hostile-input and strict-type contract modules find what they look for, and pass a
sound service.

A small WSGI service with its own OpenAPI document stands in for a generated one: it
validates like the real ones do, or, when told to, lets one kind of bad input through
to a crash, answers an error that is not JSON, or reads integers laxly.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from toolkit import run_contract

THING = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "count"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 20},
        "count": {"type": "integer", "minimum": 0, "maximum": 100},
        "owner_id": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
    },
}
CREDENTIALS = {
    "type": "object",
    "required": ["email", "password"],
    "properties": {"email": {"type": "string", "format": "email"}, "password": {"type": "string"}},
}
BEARER = [{"bearer": []}]
DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "things", "version": "1"},
    "paths": {
        "/health": {"get": {}},
        "/auth/register": {
            "post": {"requestBody": {"content": {"application/json": {"schema": CREDENTIALS}}}}
        },
        "/auth/login": {
            "post": {"requestBody": {"content": {"application/json": {"schema": CREDENTIALS}}}}
        },
        "/users/me": {"get": {"security": BEARER}},
        "/users": {"get": {"security": BEARER}},
        "/things": {
            "get": {
                "security": BEARER,
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
                ],
            },
            "post": {
                "security": BEARER,
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    }
                },
            },
        },
        "/things/{thing_id}": {
            "get": {
                "security": BEARER,
                "parameters": [{"name": "thing_id", "in": "path", "schema": {"type": "integer"}}],
            }
        },
    },
    "components": {"schemas": {"Thing": THING}},
}


class Service:
    """A thing store over WSGI; ``flaws`` name the bad input it mishandles."""

    def __init__(self, *flaws: str):
        self.flaws = set(flaws)
        self.things: dict[int, dict[str, Any]] = {}
        self.users: dict[str, str] = {}

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        status, body = self.handle(environ)
        if isinstance(body, bytes):
            start(status, [("Content-Type", "text/html")])
            return [body]
        start(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    def handle(self, environ: dict[str, Any]) -> tuple[str, Any]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        if (method, path) == ("GET", "/health"):
            return "200 OK", {"status": "ok"}
        if (method, path) == ("GET", "/openapi.json"):
            return "200 OK", DOCUMENT
        if path in {"/auth/register", "/auth/login"} and method == "POST":
            data = self.json(raw)
            if not (
                isinstance(data, dict)
                and all(isinstance(data.get(k), str) for k in ("email", "password"))
            ):
                return "422 Unprocessable Entity", {"detail": "Validation failed"}
            if path == "/auth/register":
                self.users[data["email"]] = data["password"]
                return "201 Created", {"id": len(self.users), "email": data["email"]}
            if self.users.get(data["email"]) != data["password"]:
                return "401 Unauthorized", {"detail": "Wrong email or password"}
            return "200 OK", {"access_token": "token", "refresh_token": "r", "token_type": "bearer"}
        if environ.get("HTTP_AUTHORIZATION") != "Bearer token":
            return "401 Unauthorized", {"detail": "Not authenticated"}
        if path in {"/users/me", "/users"} and method == "GET":
            return "200 OK", {"items": [], "total": 0}
        if path == "/things" and method == "GET":
            limit = environ.get("QUERY_STRING", "").partition("limit=")[2].split("&")[0]
            if limit and "query" in self.flaws:
                int(limit)  # crashes on anything but digits
            elif limit and not self.plain_integer(unquote(limit).strip(), 1, 100):
                return invalid("limit")
            return "200 OK", {"items": list(self.things.values()), "total": len(self.things)}
        if path == "/things" and method == "POST":
            return self.create(self.json(raw))
        match = re.fullmatch(r"/things/([^/]+)", path)
        if match and method == "GET":
            key = match.group(1)
            found = self.plain_integer(key, 1, 2**31 - 1)
            thing = self.things.get(int(float(key))) if found else None
            return ("200 OK", thing) if thing else ("404 Not Found", {"detail": "Not found"})
        return "404 Not Found", {"detail": "Not found"}

    def plain_integer(self, text: str, low: int, high: int) -> bool:
        """ASCII digits (a minus sign allowed) within bounds; lax: what int(float()) reads."""
        if "lax" in self.flaws:
            try:
                return low <= int(float(text)) <= high
            except ValueError:
                return False
        return bool(re.fullmatch(r"-?[0-9]+", text)) and low <= int(text) <= high

    def integer(self, value: Any, low: int, high: int) -> bool:
        """A JSON integer within bounds; lax: true, 2.0 and "2" too."""
        if "lax" in self.flaws and isinstance(value, bool | float | str):
            try:
                value = int(value)
            except ValueError:
                return False
        return type(value) is int and low <= value <= high

    @staticmethod
    def json(raw: bytes) -> Any:
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            return None

    def create(self, data: Any) -> tuple[str, Any]:
        if not isinstance(data, dict):
            return ("400 Bad Request", b"<h1>bad</h1>") if "html" in self.flaws else invalid("body")
        name, count = data.get("name"), data.get("count")
        if not isinstance(name, str) or not 1 <= len(name) <= 20 or "\x00" in name:
            if "nul" in self.flaws and isinstance(name, str) and "\x00" in name:
                raise ValueError("the database refuses NUL")
            return invalid("name")
        if not self.integer(count, 0, 100):
            return invalid("count")
        owner_id = data.get("owner_id")
        if owner_id is not None and not self.integer(owner_id, 1, 2**31 - 1):
            return invalid("owner_id")
        thing = {"id": len(self.things) + 1, "name": name, "count": count}
        self.things[thing["id"]] = thing
        return "201 Created", thing


def invalid(field: str) -> tuple[str, Any]:
    errors = [{"field": field, "message": "Invalid value"}]
    return "422 Unprocessable Entity", {"detail": "Validation failed", "errors": errors}


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(service: Service) -> Iterator[str]:
    def app(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        try:
            return service(environ, start)
        except Exception:
            start("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"crash"]

    server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def contract_module(base_url: str, module: str) -> tuple[bool, str]:
    with serving_admin(base_url):
        return run_contract(
            "task-api",
            base_url,
            admin_email="admin@example.com",
            admin_password="admin-password",
            extra_args=("-k", module),
        )


def hostile(base_url: str) -> tuple[bool, str]:
    return contract_module(base_url, "test_hostile_input")


@contextmanager
def serving_admin(base_url: str) -> Iterator[None]:
    import httpx

    credentials = {"email": "admin@example.com", "password": "admin-password"}
    assert httpx.post(f"{base_url}/auth/register", json=credentials).status_code == 201
    yield


def test_a_sound_service_passes() -> None:
    with serving(Service()) as url:
        ok, output = hostile(url)
    assert ok, output
    assert " passed" in output and "failed" not in output


def test_a_flawed_service_fails_naming_each_bad_request() -> None:
    with serving(Service("nul", "html", "query")) as url:
        ok, output = hostile(url)
    assert not ok
    for expected in [
        "POST '/things' (signed in) body \"name='\\\\x00'\": 500 'crash'",
        "POST '/things' (signed in) body '[] as application/json': 400 is not JSON (text/html)",
        "GET '/things?limit=abc' (signed in): 500 'crash'",
    ]:
        assert expected in output, output


def test_a_sound_service_passes_the_strict_type_probes() -> None:
    with serving(Service()) as url:
        ok, output = contract_module(url, "test_strict_types")
    assert ok, output
    assert "3 passed" in output, output


def test_a_service_that_reads_integers_laxly_fails_the_strict_type_probes() -> None:
    with serving(Service("lax")) as url:
        ok, output = contract_module(url, "test_strict_types")
    assert not ok
    for expected in [
        r"POST '/things' \(signed in\) body 'count=true': 201, not 422",
        r"POST '/things' \(signed in\) body 'owner_id=1.0': 201, not 422",
        r"GET '/things\?limit=1.0' \(signed in\): 200, not 422",
        r"GET '/things/[0-9]+\.0' \(signed in\): 200, not 404",
    ]:
        assert re.search(expected, output), output
