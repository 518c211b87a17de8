"""Every kind: the served OpenAPI document is the kind's reference, and Allow says its methods.

The reference (``toolkit/contracts/<kind>/openapi.json``) is one reviewed document per
kind; every framework's served document must equal it once both are normalised
(``toolkit/_openapi.py``: references inlined, documentation and spelling dropped), so
the four frameworks of a kind serve one API description. OPTIONS and 405 answers must
name the same methods as the document: a client that reads ``Allow`` and one that
reads the document see one API.
"""

from __future__ import annotations

import os
import re

import httpx
import pytest

from toolkit._openapi import differences, load_reference, normalise, reference_path

from ..conftest import ISSUED_ELSEWHERE, ISSUER, Account, assert_error

#: The methods in the order ``Allow`` lists them; OPTIONS comes last.
ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(scope="module")
def document(api: httpx.Client) -> dict:
    response = api.get("/openapi.json")
    assert response.status_code == 200, response.text
    return response.json()


def test_served_document_is_the_kinds_reference(document: dict) -> None:
    kind = os.environ.get("SCAFFOLD_KIND")
    if not kind:
        pytest.skip("SCAFFOLD_KIND is not set: no reference to compare with")
    assert reference_path(kind).is_file(), (
        f"no reference document for {kind} at {reference_path(kind)}: write one from a "
        "running service that serves the API as it should be, and review it "
        "(scripts/openapi_reference.py; docs/packs.md for a pack)"
    )
    reference = load_reference(kind)
    if ISSUER is not None:
        # A service that trusts an issuer's tokens has no credential routes of its own;
        # the rest of its API is the kind's.
        paths = reference["paths"].items()
        reference = {
            **reference,
            "paths": {p: i for p, i in paths if not p.startswith(ISSUED_ELSEWHERE)},
        }
    found = differences(reference, normalise(document))
    assert not found, (
        f"the served /openapi.json differs from {reference_path(kind)} (after normalisation; "
        "`expected` is the reference). Make the service agree, or, if the API changed on "
        "purpose, refresh and review the reference (scripts/openapi_reference.py):\n"
        + "\n".join(found)
    )


def _concrete(template: str) -> str:
    """A path of the template: ids become 1, other parameters a slug."""
    return re.sub(r"\{(\w+)\}", lambda m: "1" if m[1].endswith("_id") else "a-slug", template)


def _allow(item: dict) -> str:
    return ", ".join([*(method for method in ORDER if method.lower() in item), "OPTIONS"])


def test_options_lists_the_documented_methods(api: httpx.Client, document: dict) -> None:
    wrong = []
    for template, item in document["paths"].items():
        response = api.options(_concrete(template))
        answer = (response.status_code, response.headers.get("allow"))
        if answer != (204, _allow(item)):
            wrong.append(f"OPTIONS {template}: {answer}, expected (204, {_allow(item)!r})")
    assert not wrong, "\n".join(wrong)


def test_other_methods_are_405s_that_list_the_documented_ones(
    api: httpx.Client, document: dict, admin: Account
) -> None:
    wrong = []
    for template, item in document["paths"].items():
        path = _concrete(template)
        for method in ORDER:
            if method.lower() in item:
                continue
            # As the admin: some frameworks authenticate before they route by method.
            response = api.request(method, path, headers=admin.headers)
            if (response.status_code, response.headers.get("allow")) != (405, _allow(item)):
                wrong.append(
                    f"{method} {template}: {response.status_code} "
                    f"Allow={response.headers.get('allow')!r}, expected 405 {_allow(item)!r}"
                )
            else:
                assert_error(response, 405)
    assert not wrong, "\n".join(wrong)


def test_an_operation_with_a_required_body_refuses_none(
    api: httpx.Client, document: dict, admin: Account
) -> None:
    """The document says the body is required: without one the answer is a 422."""
    wrong = []
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if not operation.get("requestBody", {}).get("required"):
                continue
            # As the admin, so that the body is read: a PATCH of {} changes nothing, but
            # no body at all is no JSON object.
            response = api.request(method.upper(), _concrete(template), headers=admin.headers)
            if response.status_code != 422:
                wrong.append(f"{method.upper()} {template}: {response.status_code}")
            else:
                assert_error(response, 422)
    assert not wrong, "no body, yet not a 422:\n" + "\n".join(wrong)
