"""Answers the route serializes itself, in the thread it already runs in."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from fastapi import Response
from pydantic import BaseModel

P = ParamSpec("P")


def serialized(endpoint: Callable[P, BaseModel]) -> Callable[P, Response]:
    """Answer a sync route's model as JSON made in the route's own worker thread.

    FastAPI answers a sync route's return value by validating it against the response
    model in a second trip to its thread pool, then writing it: for a list page, a
    tenth of the request. The model the route returns is already of the response type
    (the return annotation, which FastAPI still reads through the wrapper for the
    OpenAPI document), so it is written as FastAPI would (by alias, as JSON) where it
    was made, and FastAPI passes the answer through as it is.
    """

    @wraps(endpoint)
    def answer(*args: P.args, **kwargs: P.kwargs) -> Response:
        body = endpoint(*args, **kwargs).model_dump_json(by_alias=True)
        return Response(body, media_type="application/json")

    return answer
