"""The ``@endpoint`` decorator: authentication, validation and serialization for a view.

It does for a Flask view what FastAPI does from type hints: check the bearer token,
validate the query string and the JSON body with pydantic models, turn the result
into JSON through a response model, and record all of it for the OpenAPI document.
"""

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response, jsonify, request
from pydantic import BaseModel, TypeAdapter, ValidationError

from ..core.errors import ValidationFailed
from ..core.validation_errors import field_errors
from .deps import current_admin, current_user


@dataclass(frozen=True)
class Header:
    """A request header a view reads itself (``request.headers``), for the OpenAPI document."""

    name: str
    description: str = ""
    required: bool = False
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class EndpointSpec:
    """What a view takes and returns, as the OpenAPI document describes it."""

    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    auth: str | None = None
    errors: Mapping[int, str | tuple[str, Any]] = field(default_factory=dict)
    headers: Sequence[Header] = ()


def endpoint(
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    auth: str | None = None,
    errors: Mapping[int, str | tuple[str, Any]] | None = None,
    headers: Sequence[Header] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a view; the wrapped view receives ``user``, ``query`` and ``data``.

    Args:
        summary: One line for the OpenAPI document.
        body: The pydantic model of the JSON body, passed as ``data``.
        query: The pydantic model of the query string, passed as ``query``.
        response: The type the result is validated and serialized with; ``None``
            answers an empty response with ``status`` (e.g. 204).
        status: The success status code.
        auth: ``"user"`` or ``"admin"`` to require a bearer token (passed as ``user``);
            ``"optional"``: anyone, and ``user`` is None unless a token came (which must
            then be valid).
        errors: Error statuses the view may answer, with a description each; or
            ``(description, body type)`` for an answer without the common error body.
        headers: Request headers the view reads itself, to describe.
    """
    spec = EndpointSpec(
        summary, body, query, response, status, auth, dict(errors or {}), tuple(headers)
    )
    adapter = TypeAdapter(response) if response is not None else None

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(**path_args: Any) -> Any:
            kwargs = dict(path_args)
            if auth == "optional":
                # Anyone; but a request that sends a token must send a valid one.
                kwargs["user"] = current_user() if "Authorization" in request.headers else None
            elif auth is not None:
                kwargs["user"] = current_admin() if auth == "admin" else current_user()
            if query is not None:
                # A repeated parameter counts by its last value, as in FastAPI.
                params = {name: values[-1] for name, values in request.args.lists()}
                kwargs["query"] = _validate(query, params)
            if body is not None:
                kwargs["data"] = _validate(body, _json_body())
            result = view(**kwargs)
            if isinstance(result, Response):
                return result
            if adapter is None:
                return Response(status=status)
            value = adapter.validate_python(result, from_attributes=True)
            return jsonify(adapter.dump_python(value, mode="json")), status

        # The view carries its spec for the OpenAPI builder (functions declare no attributes).
        wrapper.endpoint_spec = spec  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _json_body() -> Any:
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        # json.loads gives up on thousands of nested arrays with a RecursionError, which
        # is no ValueError, so get_json(silent=True) lets it through.
        data = None
    if data is None:
        raise ValidationFailed([{"field": "body", "message": "Invalid JSON"}])
    return data


def _validate(model: type[BaseModel], data: Any) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(field_errors(exc.errors())) from None
