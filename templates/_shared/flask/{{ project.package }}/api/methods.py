"""OPTIONS and 405 answers name the methods a path serves, as the OpenAPI document does.

Flask answers OPTIONS with 200 and lists HEAD and OPTIONS in ``Allow``; here, as on
every framework, OPTIONS is a 204 and ``Allow`` names the documented methods, then
OPTIONS.
"""

from collections.abc import Iterable

from flask import Flask, Response

ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allow_header(methods: Iterable[str]) -> str:
    """``Allow`` for a path that serves ``methods`` (HEAD is never documented)."""
    served = set(methods)
    return ", ".join([*(method for method in ORDER if method in served), "OPTIONS"])


class ServiceFlask(Flask):
    """Flask, whose automatic OPTIONS answer is a 204 with the documented methods."""

    def make_default_options_response(self) -> Response:
        """Answer OPTIONS on a known path (for anyone)."""
        response = super().make_default_options_response()
        response.status_code = 204
        response.headers["Allow"] = allow_header(response.allow)
        return response
