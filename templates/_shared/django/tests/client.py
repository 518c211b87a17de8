"""A thin adapter giving Django's test client httpx's calling shape.

``client.post(url, json=..., headers=...)``, ``client.get(url, params=...)``; the
responses have ``status_code``, ``headers``, ``text`` and ``json()``.
"""

import json as jsonlib
from typing import Any
from urllib.parse import urlencode

from django.test import Client as DjangoClient


class Response:
    """What a request answered."""

    def __init__(self, response: Any):
        self.status_code: int = response.status_code
        self.headers = response.headers
        self.content: bytes = response.content
        self.text = self.content.decode(errors="replace")

    def json(self) -> Any:
        """The body as JSON."""
        return jsonlib.loads(self.content)


class Client:
    """Requests to the app in-process, through every middleware."""

    def __init__(self) -> None:
        self._client = DjangoClient(raise_request_exception=False)

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        content: bytes | str | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send one request; ``json`` or raw ``content`` is the body."""
        if params:
            url = f"{url}?{urlencode(params, doseq=True)}"
        body: bytes | str = b""
        if json is not None:
            body = jsonlib.dumps(json)
        elif content is not None:
            body = content
        headers = dict(headers or {})
        content_type = headers.pop("Content-Type", "application/json")
        response = self._client.generic(
            method, url, data=body, content_type=content_type, headers=headers
        )
        return Response(response)

    def get(self, url: str, **kwargs: Any) -> Response:
        """GET ``url``."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Response:
        """POST to ``url``."""
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Response:
        """PATCH ``url``."""
        return self.request("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Response:
        """PUT ``url``."""
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Response:
        """DELETE ``url``."""
        return self.request("DELETE", url, **kwargs)
