"""OPTIONS and 405 answers name the methods a path serves, as the OpenAPI document does.

DRF names HEAD and OPTIONS in ``Allow`` and answers OPTIONS only after
authentication. Here, as in every framework of scaffold, OPTIONS on a known path is a
204 for anyone, and ``Allow`` (on it and on every 405) names the view's methods and
OPTIONS.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(path: str) -> list[str]:
    """The methods the view of ``path`` serves, then OPTIONS (empty for unknown paths)."""
    try:
        view = resolve(path).func
    except Resolver404:
        return []
    actions = getattr(view, "actions", None)  # a ViewSet's {method: action}
    view_class = getattr(view, "cls", None)
    if actions is not None:
        found = {method.upper() for method in actions}
    elif view_class is not None:
        found = {method for method in ORDER if hasattr(view_class, method.lower())}
    else:
        found = set()
    methods = [method for method in ORDER if method in found]
    return [*methods, "OPTIONS"] if methods else []


class AllowedMethods:
    """Middleware: answers OPTIONS, and gives 405 answers the right ``Allow``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer OPTIONS on known paths; correct ``Allow`` on 405s."""
        if request.method == "OPTIONS":
            methods = allowed_methods(request.path_info)
            if methods:
                response = HttpResponse(status=204)
                response["Allow"] = ", ".join(methods)
                return response
        response = self.get_response(request)
        if response.status_code == 405:
            methods = allowed_methods(request.path_info)
            if methods:
                response["Allow"] = ", ".join(methods)
        return response
