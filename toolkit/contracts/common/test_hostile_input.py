"""Every kind: hostile input is a 4xx with a JSON error body, never a 5xx.

The cases come from the service's own ``/openapi.json``. For every operation:
each field of its JSON body gets values of the wrong type, boundary and
out-of-range numbers (negative, 0, 2**31, 2**63, 1e308, NaN and Infinity literals,
the schema's minimum and maximum and one past them), odd strings (very long, NUL,
lone surrogates as JSON escapes, bidi and combining marks, as long as allowed in
characters of four bytes or that grow when normalized), and goes missing; unknown
fields are added; bodies that are not JSON objects (empty, broken, arrays, scalars,
deeply nested, invalid UTF-8, other content types, too large); path parameters that
are not ids; query and header parameters of the wrong type or size; bearer tokens
with hostile headers. Last, things are made at the limits of their schemas (largest
numbers, longest text) and every read of them is sent: sums must not overflow.

Each case is sent as a signed-in caller, the admin (operations under ``/auth/`` act
on the caller's own account, its password, sessions and MFA, so they get a
throwaway account instead), and signed out where the operation is public. Before a
field is spoiled, a valid body is built from the schema, with real ids of things
the test creates or finds through the API itself, so that one hostile value reaches
the service's code and its database rather than stopping at a missing field.

Every answer must be below 500, every 4xx must carry a JSON body with a ``detail``
string, and the service must still answer ``/health`` afterwards. The cases are
fixed (no randomness): only the unique names and emails differ between runs. URLs
stay under 4 KB: longer request lines are refused by the HTTP servers themselves
(gunicorn), before the service sees them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from ..conftest import Account
from .openapi import (
    JSON,
    WRITES,
    Operation,
    Plan,
    Schemas,
    World,
    drop_path,
    encode,
    fields,
    fill,
    make_plan,
    set_path,
    shorten,
)

#: Bounds that keep a cell quick: requests per operation and signed-in caller.
MAX_REQUESTS_PER_OPERATION = 300

NAN = float("nan")
INF = float("inf")
LONG = "x" * 10_001
ODD_UNICODE = "e\u0301 \u202eevil\u202c \ufeff\U0001f600 \u0000 \u2028"

WRONG_FOR_NUMBER: list[Any] = ["abc", "NaN", None, True, [1], {"a": 1}]
NUMBERS: list[Any] = [-1, 0, 1.5, 2**31, 2**63, -(2**63) - 1, 10**30, 1e308, NAN, INF]
WRONG_FOR_STRING: list[Any] = [12345, 2**63, None, True, ["x"], {"x": "y"}]
STRINGS: list[Any] = [
    "",
    LONG,
    "\x00",
    "nul\x00inside",
    "\ud800",
    "lone \udfff",
    ODD_UNICODE,
    "9" * 40,
]
DATES: list[Any] = [
    "2021-02-30",
    "0000-00-00",
    "99999-12-31",
    "2021-01-01T25:61:61Z",
    "-0001-01-01",
]
EMAILS: list[Any] = [
    "a@b",
    "@",
    "x" * 300 + "@example.com",
    "us\x00er@example.com",
    "u@exämple.com",
]
WRONG_FOR_BOOLEAN: list[Any] = ["yes", "maybe", 2, -1, None, [], {}, 1.5]
ARRAYS: list[Any] = [
    "x",
    1,
    None,
    {},
    True,
    [None],
    [[]],
    [{}],
    [LONG],
    ["\x00"],
    ["\ud800"],
    [2**63],
    ["x"] * 1000,
]
OBJECTS: list[Any] = ["x", 1, None, [], True, [{}]]
UNTYPED: list[Any] = ["x", 2**63, None, [], {}, "\x00"]
EXTRA_FIELDS: list[dict[str, Any]] = [
    {"hostile_extra_field": 1},
    {"__proto__": {"is_admin": True, "role": "admin"}},
    {"constructor": {"prototype": {"is_admin": True}}},
    {"id": 2**63, "created_at": "not a date"},
]
DEEP = b"[" * 5000 + b"]" * 5000
#: Bodies every operation that takes one gets (parsing is shared, so few of them).
RAW_BODIES: list[tuple[bytes, str | None]] = [
    (b"", JSON),
    (b"{", JSON),
    (b"[]", JSON),
    (b"null", JSON),
    (b"\xff\xfe\x00{}", JSON),
    (DEEP, JSON),
    (b'{"a": 1}', "text/plain"),
]
#: More, for the first operation of each kind of caller.
MORE_RAW_BODIES: list[tuple[bytes, str | None]] = [
    (b"not json", JSON),
    (b'[{"a": 1}]', JSON),
    (b"0", JSON),
    (b'"text"', JSON),
    (b"NaN", JSON),
    (b'{"a": 1, "a": 2}', JSON),
    (b'{"\xff": "\xfe"}', JSON),
    (b"\xef\xbb\xbf{}", JSON),
    (b'{"a": ' + DEEP + b"}", JSON),
    (b"{}", "application/json; charset=no-such-charset"),
    (b"{}", "application/json; charset=utf-16"),
    (b"a=1&b=2", "application/x-www-form-urlencoded"),
    (
        b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
        "multipart/form-data; boundary=b",
    ),
    (b"--b\r\n", "multipart/form-data"),
    (b"\x00" * 64, "application/octet-stream"),
    (b'{"a": 1}', None),
    # Larger than any body limit the stacks set (Express 100 KB, Django 2.5 MB).
    (b'{"a": "' + b"x" * (3 * 1024 * 1024) + b'"}', JSON),
]
#: Already percent-encoded; none of them may parse as a small positive id anywhere.
PATH_VALUES = [
    "abc",
    "-1",
    "0",
    "1.5",
    "2147483648",
    "9223372036854775808",
    "9" * 40,
    "%00",
    "%FF",
    "%ED%A0%80",
    "%2e%2e%2f%2e%2e%2fetc",
    "x" * 1000,
    "%E2%80%AE%F0%9F%98%80",
]
#: A query parameter met again (same name and schema) gets only the first few.
QUERY_VALUES = [
    "abc",
    "-1",
    "9223372036854775808",
    "%00",
    "%FF",
    "x" * 2000,
    "0",
    "1.5",
    "2147483648",
    "9" * 40,
    "1e308",
    "NaN",
    "",
    "%ED%A0%80",
    "true",
    "2021-02-30",
    "%5B%5D",
]
REPEATED_QUERY_VALUES = 6
HEADER_VALUES: list[bytes] = [b"", b"x" * 300, b"\xff\xfe", b"a\tb", b"%00", b"9" * 40]


def _b64(data: Any) -> str:
    raw = data if isinstance(data, bytes) else encode(data)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


#: Bearer tokens whose header a service reads before it checks any signature (the
#: algorithm, the key id), with wrong types and hostile values; and tokens that are no
#: JWT at all.
_CLAIMS = {"sub": "1", "type": "access", "exp": 4_102_444_800}
BEARER_TOKENS: list[bytes] = [
    f"{_b64(header)}.{_b64(_CLAIMS)}.{_b64(b'signature')}".encode()
    for header in [
        {"alg": "RS256", "typ": "JWT", "kid": {"a": 1}},
        {"alg": "RS256", "typ": "JWT", "kid": ["a"]},
        {"alg": "HS256", "typ": "JWT", "kid": 2**63},
        {"alg": "RS256", "typ": "JWT", "kid": "../../../../etc/passwd"},
        {"alg": "RS256", "typ": "JWT", "kid": "\x00\ud800"},
        {"alg": ["HS256"], "typ": "JWT"},
        {"alg": None, "typ": "JWT"},
        {"alg": "HS256", "typ": "JWT", "crit": ["exp"]},
        {"alg": "HS256", "typ": {"a": 1}},
        "a string",
        [1, 2],
    ]
] + [
    b"a.b.c",
    b"..",
    b"." * 100,
    b"x" * 5000,
    _b64(b"\xff\xfe").encode() * 3,
    b"\xff\xfe.\x80.\x81",
    b"eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
]


def hostile_values(schemas: Schemas, schema: Any) -> list[Any]:
    """Values a field of ``schema`` should refuse, or accept without breaking."""
    schema = schemas.simplify(schema)
    kind = schemas.type_of(schema)
    if kind in {"integer", "number"}:
        limits: list[Any] = []
        for key, step in (("minimum", -1), ("maximum", 1)):
            limit = schema.get(key)
            if isinstance(limit, int | float) and not isinstance(limit, bool):
                limits += [int(limit), int(limit) + step]
        return WRONG_FOR_NUMBER + NUMBERS + limits
    if kind == "string":
        values = WRONG_FOR_STRING + STRINGS
        longest = schema.get("maxLength")
        if isinstance(longest, int) and 0 < longest <= 100_000:
            # As long as allowed, in characters that take 2 to 4 bytes or grow when
            # normalized or upper-cased (a slug or a search key made from them).
            values = [
                *values,
                "x" * (longest + 1),
                "\U0001f600" * longest,
                "\ufb03" * longest,
                "\u00df" * longest,
            ]
        if schema.get("format") in {"date", "date-time"}:
            values = values + DATES
        if schema.get("format") == "email":
            values = values + EMAILS
        if "enum" in schema:
            values = [*values, "not-a-choice", str(schema["enum"][0]).upper() + "\x00"]
        return values
    if kind == "boolean":
        return WRONG_FOR_BOOLEAN
    if kind == "array":
        return ARRAYS
    if kind == "object":
        return OBJECTS
    return UNTYPED


def body_cases(world: World, op: Operation) -> Iterator[tuple[Callable[[], dict[str, Any]], str]]:
    """(a maker of a body with one thing wrong, what is wrong)."""
    schemas = world.schemas
    assert op.body is not None
    for path, schema, required in fields(schemas, op.body):
        dotted = ".".join(path)
        for value in hostile_values(schemas, schema):
            yield (
                (lambda p=path, v=value: set_path(world.body(op.body), p, v)),
                f"{dotted}={shorten(value, 60)}",
            )
        if required:
            yield (lambda p=path: drop_path(world.body(op.body), p)), f"{dotted} missing"
    for extra in EXTRA_FIELDS:
        yield (lambda e=extra: {**world.body(op.body), **e}), f"extra {shorten(extra, 60)}"


@pytest.fixture(scope="module")
def plan(api: httpx.Client, admin: Account) -> Plan:
    return make_plan(api, admin)


def test_hostile_body_fields_are_refused_or_handled(plan: Plan) -> None:
    judge = plan.judge()
    for op in plan.operations(lambda op: op.body is not None and op.method in WRITES):
        target = plan.world.target(op)
        if target is None:
            continue
        url, _ = target
        for caller in plan.callers(op):
            budget = judge.sent + MAX_REQUESTS_PER_OPERATION
            for make, note in body_cases(plan.world, op):
                if judge.sent >= budget:
                    break
                judge.send(
                    op.method,
                    url,
                    caller=caller,
                    content=encode(make()),
                    headers=plan.world.headers(op),
                    note=note,
                )
    judge.report()


def test_bodies_that_are_not_json_objects_are_refused(plan: Plan) -> None:
    judge = plan.judge()
    seen: set[str] = set()
    for op in plan.operations(lambda op: op.method in WRITES):
        target = plan.world.target(op)
        url = target[0] if target else fill(op.path, dict.fromkeys(op.path_params, "1"))
        for caller in plan.callers(op):
            who = "admin" if caller is plan.admin else "throwaway" if caller else "nobody"
            bodies = RAW_BODIES if who in seen else RAW_BODIES + MORE_RAW_BODIES
            seen.add(who)
            for content, content_type in bodies:
                judge.send(
                    op.method,
                    url,
                    caller=caller,
                    content=content,
                    content_type=content_type,
                    headers=plan.world.headers(op),
                    note=f"{shorten(content, 60)} as {content_type}",
                )
    judge.report()


def test_path_parameters_that_are_not_ids_are_refused(plan: Plan) -> None:
    judge = plan.judge()
    for op in plan.operations(lambda op: bool(op.path_params)):
        real = plan.world.path_values(op) or {}
        body = encode(plan.world.body(op.body)) if op.body is not None else None
        for caller in plan.callers(op):
            for name in op.path_params:
                for value in PATH_VALUES:
                    values = {p: real.get(p, "1") for p in op.path_params}
                    values[name] = value
                    judge.send(
                        op.method,
                        fill(op.path, values),
                        caller=caller,
                        content=body,
                        headers=plan.world.headers(op),
                    )
    judge.report()


def test_hostile_query_and_header_parameters_are_refused(plan: Plan) -> None:
    judge = plan.judge()
    seen: set[str] = set()
    for op in plan.operations(lambda op: bool(op.params("query") or op.params("header"))):
        real = plan.world.path_values(op) or {}
        url = fill(op.path, {p: real.get(p, "1") for p in op.path_params})
        body = encode(plan.world.body(op.body)) if op.body is not None else None
        for caller in plan.callers(op):
            for param in op.params("query"):
                name = quote(param["name"], safe="")
                again = json.dumps([param["name"], param.get("schema")], sort_keys=True)
                values = QUERY_VALUES[:REPEATED_QUERY_VALUES] if again in seen else QUERY_VALUES
                seen.add(again)
                queries = [f"{name}={value}" for value in values]
                queries += [f"{name}=1&{name}=2", f"{name}[a]=1", name]
                for query in queries:
                    judge.send(op.method, f"{url}?{query}", caller=caller, content=body)
            for param in op.params("header"):
                for raw in HEADER_VALUES:
                    headers = {**plan.world.headers(op), param["name"]: raw}
                    judge.send(
                        op.method,
                        url,
                        caller=caller,
                        content=body,
                        headers=headers,
                        note=f"{param['name']}: {shorten(raw, 40)}",
                    )
    judge.report()


def test_malformed_bearer_tokens_are_refused(plan: Plan) -> None:
    judge = plan.judge()
    protected = plan.operations(
        lambda op: op.method == "get" and not op.public and not op.path_params
    )
    for op in protected[:2]:
        for token in BEARER_TOKENS:
            judge.send(
                "get",
                op.path,
                caller=None,
                headers={"Authorization": b"Bearer " + token},
                note=f"Authorization: Bearer {shorten(token, 60)}",
            )
    judge.report()


def test_things_made_at_the_limits_of_their_schemas_read_back(plan: Plan) -> None:
    """Largest numbers, longest text (four bytes a character): made, then every read.

    Sums and products of such values (a balance, a stock valuation) must not
    overflow the database's integers, nor long text its columns.
    """
    judge = plan.judge()
    world = World(judge, plan.world.schemas, plan.admin, extreme=True)
    makes = plan.operations(
        lambda op: op.method == "post" and op.body is not None and not op.caller_is_throwaway
    )
    for op in makes:
        target = world.target(op)
        if target is not None:
            world.make(target[0], op, world.body(op.body))
    for op in plan.operations(lambda op: op.method == "get" and not op.caller_is_throwaway):
        target = world.target(op)
        if target is not None:
            judge.send("get", target[0], caller=plan.admin)
    judge.report()


def test_the_service_still_answers_after_hostile_input(api: httpx.Client) -> None:
    response = api.get("/health")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ok"
