"""Schemathesis hooks of the contract suite: safe webhook URLs, plain emails, three checks narrowed.

Loaded by ``common/test_schemathesis.py`` through ``SCHEMATHESIS_HOOKS``. Every other
check runs as schemathesis ships it.
"""

from __future__ import annotations

import os
from typing import Any

import jsonschema_rs
import schemathesis
from hypothesis import strategies as st
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.parameters import ParameterLocation
from schemathesis.openapi.checks import RejectedPositiveData, UndefinedStatusCode
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    status_code_conformance,
)

from toolkit._openapi import request_body_schema

from .schemathesis_rules import known_refusal, safe_url, trimmed

# "format: email" pins no grammar: pydantic's email-validator refuses special-use domains
# (.test, .local) that hypothesis's addresses use, zod takes ASCII addresses only, Django
# has rules of its own. Valid cases use plain addresses every one of them takes; invalid
# ones (wrong types, lengths) are made as schemathesis makes them.
schemathesis.openapi.format(
    "email",
    st.from_regex(r"\A[a-z][a-z0-9]{0,15}@[a-z]{1,12}\.example\.com\Z"),
)


#: Users schemathesis may not change (the suite's admin), and the one it may (itself).
KEPT_USERS = set(os.environ.get("SCAFFOLD_KEPT_USER_IDS", "").split(",")) - {""}
RUNNER = os.environ.get("SCAFFOLD_RUNNER_USER_ID")


@schemathesis.hook
def before_call(ctx: Any, case: Any, kwargs: Any) -> None:
    """Keep webhooks at home, and the suite's admin as it is.

    Every webhook URL a request would register points at a host that never resolves;
    a change of a kept user (disabling the suite's admin, say) is sent to schemathesis's
    own account instead, so that the suite can run again against the same service. This
    runs before every request of every phase (schemathesis then judges the case by what
    is sent); a strategy hook would miss the coverage phase's cases.
    """
    if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body["url"] = safe_url(case.body["url"])
    user_id = (case.path_parameters or {}).get("user_id")
    if case.method.upper() == "PATCH" and str(user_id) in KEPT_USERS and RUNNER:
        case.path_parameters["user_id"] = int(RUNNER)


def _trimming_changes_validity(case: Any, *, valid_as_sent: bool) -> bool:
    """Whether the body's validity as sent is ``valid_as_sent``, and the other once trimmed."""
    schema = request_body_schema(case.operation.schema.raw_schema, case.path, case.method)
    if schema is None or not isinstance(case.body, dict):
        return False
    validator = jsonschema_rs.Draft202012Validator(schema)
    return (
        validator.is_valid(case.body) is valid_as_sent
        and validator.is_valid(trimmed(case.body)) is not valid_as_sent
    )


def _only_the_body_is_invalid(case: Any) -> bool:
    data = case.meta.phase.data if case.meta is not None else None
    if data is None:
        return False
    if data.parameter_location is not None:
        return bool(data.parameter_location == ParameterLocation.BODY)
    places = {mutation.parameter_location for mutation in data.mutations}
    return places == {ParameterLocation.BODY}


@schemathesis.check
def positive_data_acceptance_but_known_refusals(ctx: Any, response: Any, case: Any) -> Any:
    """schemathesis's positive_data_acceptance, but for 422s that only the reasons above explain.

    The suite runs this instead of the built-in (excluded by name): a schema-valid request
    must still be accepted, unless every field the 422 names is refused for one of the
    reasons above, or the body is invalid once its text is trimmed; no JSON Schema can
    state any of them.
    """
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code != 422:
            raise
        try:
            errors = response.json().get("errors") or []
        except ValueError:
            raise RejectedPositiveData from None
        path = case.operation.path
        if errors and all(known_refusal(path, case.body, error) for error in errors):
            return None
        # Text is trimmed before it is checked (" " is an empty title): the document's
        # lengths and patterns are those of the trimmed text.
        if _trimming_changes_validity(case, valid_as_sent=True):
            return None
        raise


@schemathesis.check
def negative_data_rejection_but_trimmed_text(ctx: Any, response: Any, case: Any) -> Any:
    """schemathesis's negative_data_rejection, but for bodies that are valid once trimmed.

    The suite runs this instead of the built-in (excluded by name): an invalid request
    must still be refused, unless only its body was made invalid, and only by text
    around it that the services trim (" Python " is the tag "python").
    """
    try:
        return negative_data_rejection(ctx, response, case)
    except AcceptedNegativeData:
        if _only_the_body_is_invalid(case) and _trimming_changes_validity(
            case, valid_as_sent=False
        ):
            return None
        raise


#: The longest request line gunicorn (the Python stacks' HTTP server) reads; a longer one
#: is its own 414, before the service sees it (Node reads 16 KB).
MAX_REQUEST_LINE = 4094


@schemathesis.check
def status_code_conformance_but_long_lines(ctx: Any, response: Any, case: Any) -> Any:
    """schemathesis's status_code_conformance, but for the HTTP server's 414.

    The suite runs this instead of the built-in (excluded by name). A request line
    longer than MAX_REQUEST_LINE is refused by gunicorn with 414, which no document of
    the service lists; schemathesis makes such lines from query values that are invalid
    anyway (every valid query of the documents fits).
    """
    try:
        return status_code_conformance(ctx, response, case)
    except UndefinedStatusCode:
        request = response.request
        line = f"{request.method} {request.path_url} HTTP/1.1"
        if response.status_code == 414 and len(line.encode()) > MAX_REQUEST_LINE:
            return None
        raise
