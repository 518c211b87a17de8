"""Middleware: the request id, security and CORS headers of core/operations.py.

Outermost in MIDDLEWARE, so 404s, 405s and 500s carry them too. Django's own
SecurityMiddleware and XFrameOptionsMiddleware run inside it and keep the word on the
headers their settings govern; HSTS is theirs alone (``SECURE_HSTS_SECONDS``, sent only
over TLS). CORS follows ``settings.CORS_ORIGINS``. Views read the id from
``request.request_id``. Each answer's line is logged here (core/logs.py).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from .logs import bind_request, log_request
from .operations import REQUEST_ID_HEADER, cors_headers, cors_origins, request_id, response_headers


class AnswerHeaders:
    """Give every answer its request id, the security and the CORS headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Choose the request id, answer, then add the headers."""
        rid = request_id(request.headers.get(REQUEST_ID_HEADER))
        # Views read it back (HttpRequest declares no such attribute).
        request.request_id = rid  # type: ignore[attr-defined]
        started = bind_request(rid)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        for name, value in response_headers(rid, secure=False):
            if name not in response:
                response[name] = value
        cors = cors_origins(settings.CORS_ORIGINS)
        if cors:
            asks = "Access-Control-Request-Method" in request.headers
            preflight = request.method == "OPTIONS" and asks
            origin = request.headers.get("Origin")
            for name, value in cors_headers(origin, cors, preflight=preflight):
                response[name] = value
            patch_vary_headers(response, ("Origin",))
        # HttpRequest.method is None only on a request built by hand, never on a served one.
        log_request(request.method or "", request.path, response.status_code, started)
        return response
