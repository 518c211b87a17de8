"""Calls to the compose stack through nginx, for the tests of tests/integration/."""

import json
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen


def call(
    base_url: str,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """Send a JSON request; its status and JSON body (an error's too)."""
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    request = Request(base_url + path, data=data, method=method, headers=sent)
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def healthy(base_url: str) -> bool:
    """Whether the stack answers its health check through nginx."""
    try:
        return call(base_url, "GET", "/health")[0] == 200
    except (URLError, ConnectionError, TimeoutError, ValueError):
        return False
