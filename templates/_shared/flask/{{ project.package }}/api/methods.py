"""OPTIONS and 405 answers name the methods a path serves, as the OpenAPI document does.

Flask answers OPTIONS with 200 and lists HEAD and OPTIONS in ``Allow``; here, as on
every framework, OPTIONS is a 204 and ``Allow`` names the documented methods, then
OPTIONS.
"""

from collections.abc import Iterable

from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allow_header(methods: Iterable[str]) -> str:
    """``Allow`` for a path that serves ``methods`` (HEAD is never documented)."""
    served = set(methods)
    return ", ".join([*(method for method in ORDER if method in served), "OPTIONS"])


class OrderedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, keeping the field order of the schemas (Flask sorts keys)."""

    sort_keys = False


class ServiceFlask(Flask):
    """Flask, whose automatic OPTIONS answer is a 204 with the documented methods.

    Its JSON keeps the order of the fields (:class:`OrderedJSONProvider`).
    """

    json_provider_class = OrderedJSONProvider

    def make_default_options_response(self) -> Response:
        """Answer OPTIONS on a known path (for anyone)."""
        response = super().make_default_options_response()
        response.status_code = 204
        response.headers["Allow"] = allow_header(response.allow)
        return response
