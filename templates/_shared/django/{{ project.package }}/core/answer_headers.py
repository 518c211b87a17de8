"""Middleware: the request id and security headers of core/operations.py on every answer.

Outermost in MIDDLEWARE, so 404s, 405s and 500s carry them too. Django's own
SecurityMiddleware and XFrameOptionsMiddleware run inside it and keep the word on the
headers their settings govern; HSTS is theirs alone (``SECURE_HSTS_SECONDS``, sent only
over TLS). Views read the id from ``request.request_id``.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .operations import REQUEST_ID_HEADER, request_id, response_headers


class AnswerHeaders:
    """Give every answer its request id and the security headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Choose the request id, answer, then add the headers."""
        rid = request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = rid  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        for name, value in response_headers(rid, secure=False):
            if name not in response:
                response[name] = value
        return response
