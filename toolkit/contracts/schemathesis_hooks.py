"""Schemathesis hooks of the contract suite: safe test data, and one check narrowed with reasons.

Loaded by ``common/test_schemathesis.py`` through ``SCHEMATHESIS_HOOKS``. Every other
check runs as schemathesis ships it.
"""

from __future__ import annotations

import re
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

# "format: email" pins no grammar: pydantic's email-validator refuses special-use domains
# (.test, .local) that hypothesis's addresses use, zod takes ASCII addresses only, Django
# has rules of its own. Valid cases use plain addresses every one of them takes; invalid
# ones (wrong types, lengths) are made as schemathesis makes them.
schemathesis.openapi.format(
    "email",
    st.from_regex(r"\A[a-z][a-z0-9]{0,15}@[a-z]{1,12}\.example\.com\Z"),
)

#: Webhook URLs the payments worker would post to: a generated URL that any URL parser
#: may read as http(s) is replaced by one of the same length whose host never resolves
#: (RFC 2606 reserves .invalid), so that no request leaves this machine. Browsers' and
#: Node's parsers drop tabs and newlines anywhere and C0 controls in front, so those go
#: before the scheme is looked at.
SAFE_URL = "http://x.invalid"
_HTTP_LIKE = re.compile(r"^[\x00-\x20]*https?:", re.IGNORECASE)


def _safe_url(value: str) -> str:
    if not _HTTP_LIKE.match(re.sub(r"[\t\n\r]", "", value)):
        return value
    if len(value) <= len(SAFE_URL) + 1:
        return SAFE_URL
    # As long as generated, so that a URL one past the maximum length stays one past it.
    return f"{SAFE_URL}/" + "a" * (len(value) - len(SAFE_URL) - 1)


@schemathesis.hook
def before_call(ctx: Any, case: Any, kwargs: Any) -> None:
    """Point every webhook URL a request would register at a host that never resolves.

    This runs before every request of every phase (schemathesis then judges the case by
    what is sent); a strategy hook would miss the coverage phase's cases.
    """
    if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body["url"] = _safe_url(case.body["url"])


#: Fields of an operation whose validity the schema cannot state: what a 422 on them means.
SEMANTIC_FIELDS = {
    # payments: a card number must pass the Luhn check, and an expiry must be given whole
    # and not be past: schemas have no checksums and no clock.
    ("/payments", "card.number"): "a card number that fails the Luhn check",
    ("/payments", "card"): "a card whose expiry is half given, or past",
    # inventory: which fields a movement takes depends on its type (receive, ship and
    # adjust one warehouse_id; a transfer two different warehouses; only an adjustment
    # may be negative, none zero). The flat body schema says each field's range; JSON
    # Schema cannot say that two warehouses differ.
    ("/movements", "quantity"): "a quantity its movement type does not take",
    ("/movements", "warehouse_id"): "a warehouse its movement type does not take",
    ("/movements", "from_warehouse_id"): "a warehouse its movement type does not take",
    ("/movements", "to_warehouse_id"): "a warehouse its movement type does not take",
    ("/movements", "reason"): "a reason its movement type needs (an adjustment)",
    # payments: a webhook URL is a URI the service will call: http or https, with a host,
    # without credentials or spaces. JSON Schema has no URL grammar the URL parsers of
    # Python and Node share.
    ("/webhooks", "url"): "a URI the service will not call",
    # auth-service: only a token the service mailed (and that is unused) resets a password.
    ("/auth/password-reset/confirm", "token"): "a reset token never issued, or spent",
}
_ID_FIELD = re.compile(r"(^|\.)\w+_id$")


def _value_at(body: Any, field: str) -> Any:
    node = body
    for part in field.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


#: What the services trim from text before they check it: Python's str.strip() on
#: FastAPI, Flask and Django, ECMAScript's trim() on Express; here both.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def _trimmed(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip(WHITESPACE)
    if isinstance(value, list):
        return [_trimmed(item) for item in value]
    if isinstance(value, dict):
        return {key: _trimmed(item) for key, item in value.items()}
    return value


def _trimming_changes_validity(case: Any, *, valid_as_sent: bool) -> bool:
    """Whether the body's validity as sent is ``valid_as_sent``, and the other once trimmed."""
    schema = request_body_schema(case.operation.schema.raw_schema, case.path, case.method)
    if schema is None or not isinstance(case.body, dict):
        return False
    validator = jsonschema_rs.Draft202012Validator(schema)
    return (
        validator.is_valid(case.body) is valid_as_sent
        and validator.is_valid(_trimmed(case.body)) is not valid_as_sent
    )


def _only_the_body_is_invalid(case: Any) -> bool:
    data = case.meta.phase.data if case.meta is not None else None
    if data is None:
        return False
    if data.parameter_location is not None:
        return bool(data.parameter_location == ParameterLocation.BODY)
    places = {mutation.parameter_location for mutation in data.mutations}
    return places == {ParameterLocation.BODY}


def _known_refusal(path: str, body: Any, error: dict[str, Any]) -> bool:
    field = str(error.get("field", ""))
    value = _value_at(body, field)
    # An integer written as a float (2.0): JSON Schema calls it an integer, the services
    # refuse it on purpose (ids, counts and amounts never pass through floats).
    if isinstance(value, float) and value.is_integer():
        return True
    # An id that names nothing (or nothing of the caller's): the schema says which ids
    # may be sent, not which exist.
    if _ID_FIELD.search(field) and isinstance(value, int) and not isinstance(value, bool):
        return True
    return (path, field) in SEMANTIC_FIELDS


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
        if errors and all(_known_refusal(path, case.body, error) for error in errors):
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
