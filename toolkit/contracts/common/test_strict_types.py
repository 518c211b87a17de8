"""Every kind: ids, counts and amounts are strict integers, in bodies, queries and paths.

The integers come from the service's own ``/openapi.json`` (``openapi.py`` reads it,
as for the hostile-input checks), and one rule holds on every framework:

* In a JSON body, an integer field takes a JSON integer within its bounds: ``true``,
  ``1.0``, ``1.5``, ``"1"`` and numbers past 64 bits are a 422 naming the field (a
  lax parser reads ``true`` as 1 and ships stock of product 1).
* In a query string, an integer is ASCII digits with an optional minus sign;
  ``true``, ``1.0``, ``+1``, ``1e3``, ``0x10``, ``1_0``, other scripts' digits and
  numbers out of range are a 422 naming the parameter.
* In a path, an id is ASCII digits naming a row (1 to 2**31 - 1); anything else, such
  as ``7.0``, ``+7`` or ``%207`` for the real id 7, names no resource: a 404.

Each value goes into an otherwise valid request (real ids of things made through the
API), sent as the admin, or as a throwaway account under ``/auth/``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from ..conftest import Account
from .openapi import WRITES, Operation, Plan, encode, fields, fill, make_plan, set_path

#: JSON values an integer field of a body refuses.
NOT_JSON_INTEGERS: list[Any] = [True, False, 1.0, 1.5, "1", 2**64, 10**30]
#: Query-string values an integer parameter refuses (already percent-encoded).
NOT_QUERY_INTEGERS = [
    "true",
    "1.0",
    "1.5",
    "%2B1",  # "+1" (a bare "+" is a space in a query string)
    "1e3",
    "0x10",
    "1_0",
    quote("\uff11"),  # FULLWIDTH DIGIT ONE
    "9" * 30,
]


def path_spellings(real: str) -> list[str]:
    """Ways to write the real id ``real`` that are not plain ASCII digits, and huge ids."""
    fullwidth = "".join(chr(0xFF10 + int(digit)) for digit in real)
    return [
        f"{real}.0",
        f"+{real}",
        f"{real}e0",
        f"%20{real}",
        quote(fullwidth),
        f"{real}_",
        str(2**31),
        "9" * 30,
    ]


@pytest.fixture(scope="module")
def plan(api: httpx.Client, admin: Account) -> Plan:
    return make_plan(api, admin)


def is_integer(plan: Plan, schema: Any) -> bool:
    schemas = plan.world.schemas
    return schemas.type_of(schemas.simplify(schema)) == "integer"


def signed_in(plan: Plan, op: Operation) -> Account:
    caller = plan.callers(op)[0]
    return caller if caller is not None else plan.throwaway()


def test_integers_in_bodies_take_json_integers_only(plan: Plan) -> None:
    judge = plan.judge()
    probed = 0
    for op in plan.operations(lambda op: op.body is not None and op.method in WRITES):
        integers = [
            path
            for path, schema, _ in fields(plan.world.schemas, op.body)
            if is_integer(plan, schema)
        ]
        target = plan.world.target(op) if integers else None
        if target is None:
            continue
        caller = signed_in(plan, op)
        for path in integers:
            dotted = ".".join(path)
            for value in NOT_JSON_INTEGERS:
                probed += 1
                judge.send(
                    op.method,
                    target[0],
                    caller=caller,
                    content=encode(set_path(plan.world.body(op.body), path, value)),
                    headers=plan.world.headers(op),
                    note=f"{dotted}={json.dumps(value)}",
                    expect=422,
                    naming=dotted,
                )
    if not probed:
        pytest.skip("no request body of this kind has an integer field")
    judge.report()


def test_integers_in_query_strings_take_plain_digits_only(plan: Plan) -> None:
    judge = plan.judge()
    seen: set[str] = set()
    for op in plan.operations(lambda op: op.method == "get" and bool(op.params("query"))):
        params = [p for p in op.params("query") if is_integer(plan, p.get("schema"))]
        fresh = [p for p in params if json.dumps([p["name"], p.get("schema")]) not in seen]
        real = plan.world.path_values(op) if fresh else None
        if real is None and op.path_params:
            continue
        url = fill(op.path, real or {})
        for param in fresh:
            seen.add(json.dumps([param["name"], param.get("schema")]))
            for value in NOT_QUERY_INTEGERS:
                judge.send(
                    "get",
                    f"{url}?{quote(param['name'])}={value}",
                    caller=signed_in(plan, op),
                    expect=422,
                    naming=param["name"],
                )
    assert seen, "no operation takes an integer in its query string"
    judge.report()


def test_path_ids_that_are_not_plain_digits_name_nothing(plan: Plan) -> None:
    judge = plan.judge()
    probed = 0
    for op in plan.operations(lambda op: op.method == "get" and bool(op.path_params)):
        ids = [
            p["name"]
            for p in op.params("path")
            if p["name"].endswith("_id") or is_integer(plan, p.get("schema"))
        ]
        real = plan.world.path_values(op) if ids else None
        if real is None:
            continue
        caller = signed_in(plan, op)
        # The real URL answers; each other spelling of an id in it must not.
        judge.send("get", fill(op.path, real), caller=caller, expect=200)
        for name in ids:
            for spelling in path_spellings(real[name]):
                probed += 1
                judge.send(
                    "get", fill(op.path, {**real, name: spelling}), caller=caller, expect=404
                )
    assert probed, "no operation takes an id in its path"
    judge.report()
