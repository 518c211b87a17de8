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
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from ..conftest import PASSWORD, Account, sign_in, unique_email

JSON = "application/json"
METHODS = ("get", "post", "put", "patch", "delete")
WRITES = ("post", "put", "patch")
#: Bounds that keep a cell quick: requests per operation and signed-in caller.
MAX_REQUESTS_PER_OPERATION = 300
#: Bodies from this size on may be refused unread (Express answers 413 from 100 KB).
LARGE_BODY = 64 * 1024
#: How many failures a test shows (all are counted).
SHOWN = 25

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


def encode(value: Any) -> bytes:
    """JSON with NaN/Infinity literals and lone surrogates kept as ``\\ud800`` escapes."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()


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


def shorten(value: Any, limit: int = 140) -> str:
    text = value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} chars)"


# -- The OpenAPI document --------------------------------------------------------------


@dataclass
class Operation:
    method: str
    path: str
    spec: dict[str, Any]
    public: bool
    body: dict[str, Any] | None

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{([^}/]+)}", self.path)

    def params(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == where]

    @property
    def caller_is_throwaway(self) -> bool:
        """Operations under /auth/ act on the caller's own account."""
        return self.path.startswith("/auth/")


class Schemas:
    """Reads the schemas of the document: references, nullable unions, types."""

    def __init__(self, document: dict[str, Any]):
        self.document = document

    def deref(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        if not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and depth < 20:
            target: Any = self.document
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            return self.deref(merged, depth + 1)
        return schema

    def simplify(self, schema: Any) -> dict[str, Any]:
        """The schema without references, its first non-null alternative, allOf merged."""
        schema = self.deref(schema)
        for key in ("anyOf", "oneOf"):
            options = [self.deref(s) for s in schema.get(key, [])]
            options = [s for s in options if s.get("type") != "null"]
            if options:
                rest = {k: v for k, v in schema.items() if k != key}
                return self.simplify({**options[0], **rest})
        if "allOf" in schema:
            merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
            for part in schema["allOf"]:
                part = self.simplify(part)
                merged.setdefault("properties", {}).update(part.get("properties", {}))
                merged["required"] = [*merged.get("required", []), *part.get("required", [])]
                for key, value in part.items():
                    merged.setdefault(key, value)
            return merged
        return schema

    def type_of(self, schema: dict[str, Any]) -> str | None:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind is None and "properties" in schema:
            kind = "object"
        if kind is None and "enum" in schema:
            kind = "string"
        return kind if isinstance(kind, str) else None

    def operations(self) -> list[Operation]:
        found = []
        default_security = self.document.get("security")
        for path, item in self.document.get("paths", {}).items():
            for method in METHODS:
                spec = item.get(method)
                if not isinstance(spec, dict):
                    continue
                security = spec.get("security", default_security)
                public = not security or any(not requirement for requirement in security)
                content = self.deref(spec.get("requestBody", {})).get("content", {})
                body = content.get(JSON, {}).get("schema") if JSON in content else None
                if body is None and content:
                    # A vendor type such as application/merge-patch+json.
                    body = next(
                        (c.get("schema") for t, c in content.items() if t.endswith("json")), None
                    )
                found.append(Operation(method, path, spec, public, body))
        return found


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


# -- Sending and judging ---------------------------------------------------------------


@dataclass
class Judge:
    """Sends requests and keeps what was wrong with the answers."""

    api: httpx.Client
    failures: list[str] = field(default_factory=list)
    sent: int = 0

    def send(
        self,
        method: str,
        url: str,
        *,
        caller: Account | None,
        content: bytes | None = None,
        content_type: str | None = JSON,
        headers: dict[str, Any] | None = None,
        note: Any = None,
    ) -> httpx.Response | None:
        all_headers: dict[str, Any] = dict(headers or {})
        if caller is not None:
            all_headers.update(caller.headers)
        if content is not None and content_type is not None:
            all_headers["Content-Type"] = content_type
        if content is not None and len(content) > LARGE_BODY:
            # A server may refuse it (413) before reading it all, and then drop the
            # connection: a new one for the next request.
            all_headers["Connection"] = "close"
        self.sent += 1
        who = "signed in" if caller is not None else "signed out"
        case = f"{method.upper()} {shorten(url, 200)} ({who})"
        if content is not None:
            case += f" body {shorten(note if note is not None else content)}"
        elif note is not None:
            case += f" {shorten(note)}"
        try:
            response = self.api.request(method, url, content=content, headers=all_headers)
        except httpx.HTTPError as exc:
            self.failures.append(f"{case}: no answer ({type(exc).__name__}: {exc})")
            return None
        problem = judge(response)
        if problem:
            self.failures.append(f"{case}: {problem}")
        return response

    def report(self) -> None:
        try:
            health = self.api.get("/health")
        except httpx.HTTPError as exc:
            self.failures.append(f"GET /health afterwards: no answer ({exc})")
        else:
            if health.status_code != 200:
                self.failures.append(f"GET /health afterwards: {health.status_code}")
        if self.failures:
            shown = "\n".join(self.failures[:SHOWN])
            more = len(self.failures) - SHOWN
            tail = f"\n... and {more} more" if more > 0 else ""
            pytest.fail(f"{len(self.failures)} of {self.sent} hostile requests:\n{shown}{tail}")


def judge(response: httpx.Response) -> str | None:
    """What is wrong with an answer to a hostile request, if anything."""
    status = response.status_code
    if status >= 500:
        return f"{status} {response.text[:300]!r}"
    if status < 400:
        return None
    if not response.headers.get("content-type", "").startswith(JSON):
        ctype = response.headers.get("content-type")
        return f"{status} is not JSON ({ctype}): {response.text[:200]!r}"
    try:
        body = response.json()
    except ValueError:
        return f"{status} with a broken JSON body: {response.text[:200]!r}"
    if not (isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"]):
        return f"{status} without a detail string: {response.text[:200]!r}"
    return None


# -- Valid bodies and real ids ---------------------------------------------------------


class World:
    """Builds valid bodies from schemas, and finds or makes the things ids point to."""

    def __init__(self, judge: Judge, schemas: Schemas, admin: Account, *, extreme: bool = False):
        self.judge = judge
        self.schemas = schemas
        self.admin = admin
        #: Make things at the limits of their schemas: largest numbers, longest text.
        self.extreme = extreme
        self.run = uuid.uuid4().hex[:8].upper()
        self.counter = 0
        self.operations = {(op.method, op.path): op for op in schemas.operations()}
        self.made: dict[tuple[str, int], dict[str, Any] | None] = {}
        self.busy: set[str] = set()
        self.targets: dict[str, tuple[str, dict[str, str]] | None] = {}

    def unique(self) -> str:
        self.counter += 1
        return f"HX{self.run}{self.counter:05d}"

    # Values --------------------------------------------------------------------------

    def string(self, name: str, schema: dict[str, Any]) -> str:
        if schema.get("enum"):
            return str(schema["enum"][0])
        for key in ("example", "default"):
            if isinstance(schema.get(key), str):
                return str(schema[key])
        fmt = schema.get("format")
        lowered = name.lower()
        if fmt == "email" or lowered.endswith("email"):
            return unique_email("hostile")
        if fmt == "date":
            return "2031-01-02"
        if fmt == "date-time":
            return "2031-01-02T03:04:05Z"
        if fmt == "uuid":
            return str(uuid.uuid5(uuid.NAMESPACE_URL, self.unique()))
        if fmt in {"uri", "url"} or lowered in {"url", "uri"} or lowered.endswith("_url"):
            return "https://example.invalid/hostile"
        if "password" in lowered:
            return PASSWORD
        if lowered == "number":
            return "4242424242424242"  # a test card number, Luhn-valid
        if lowered == "currency":
            return "USD"
        candidates = [self.unique(), "USD", "hostile", "1234", "abc", "A1"]
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                compiled = re.compile(pattern)
            except re.error:
                compiled = None
            if compiled is not None:
                matching = [c for c in candidates if compiled.search(c)]
                candidates = matching or candidates
        value = candidates[0]
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", 10_000))
        if self.extreme and "maxLength" in schema and "pattern" not in schema:
            # Four bytes a character in UTF-8, and as long as the schema allows.
            return (value + "\U0001f600" * high)[:high]
        return (value + "x" * max(0, low - len(value)))[: max(high, 1)]

    def number(self, schema: dict[str, Any]) -> int:
        low = schema.get("minimum")
        value = 1
        if isinstance(low, int | float) and value < low:
            value = int(low)
        exclusive = schema.get("exclusiveMinimum")
        if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
            value = max(value, int(exclusive) + 1)
        high = schema.get("maximum")
        if isinstance(high, int | float) and (value > high or self.extreme):
            value = int(high)
        return value

    def value(self, name: str, schema: Any, required: bool) -> tuple[bool, Any]:
        """A valid value for a field: (whether to include it, the value)."""
        schema = self.schemas.simplify(schema)
        kind = self.schemas.type_of(schema)
        if name.endswith("_id") and kind in {"integer", "string"}:
            found = self.existing_id(name[: -len("_id")])
            if found is not None:
                return True, found
        if not required:
            return False, None
        if kind == "string":
            return True, self.string(name, schema)
        if kind in {"integer", "number"}:
            return True, self.number(schema)
        if kind == "boolean":
            return True, schema.get("default", True)
        if kind == "array":
            items = schema.get("items", {})
            return True, [
                self.value(name, items, True)[1] for _ in range(schema.get("minItems", 0))
            ]
        if kind == "object":
            return True, self.body(schema)
        return True, schema.get("default", "x")

    def body(self, schema: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """A valid object: the required fields, and optional ids that can be found."""
        schema = self.schemas.simplify(schema)
        required = set(schema.get("required", []))
        result: dict[str, Any] = {}
        for name, prop in schema.get("properties", {}).items():
            if self.schemas.deref(prop).get("readOnly"):
                continue
            include, value = self.value(name, prop, name in required)
            if include:
                result[name] = value
        result.update(extra or {})
        return result

    def headers(self, op: Operation) -> dict[str, str]:
        """The header parameters, each with a fresh value.

        A POST also carries a fresh Idempotency-Key, as a careful client's does: not
        every stack lists that header in its document, and services without it
        ignore it.
        """
        headers = {"Idempotency-Key": self.unique()} if op.method == "post" else {}
        headers.update({p["name"]: self.unique() for p in op.params("header")})
        return headers

    # Things that exist ---------------------------------------------------------------

    def existing_id(self, stem: str) -> Any:
        """The id of a thing named ``stem`` (``project`` -> /projects), or None."""
        plurals = [f"/{stem}s", f"/{stem}es"]
        if stem.endswith("y"):
            plurals.append(f"/{stem[:-1]}ies")
        for collection in plurals:
            if ("get", collection) in self.operations or ("post", collection) in self.operations:
                found = self.thing(collection)
                if found is not None and "id" in found:
                    return found["id"]
        return None

    def variants(self, collection: str) -> list[dict[str, Any]]:
        """Ways to make a thing: its required fields, then each optional enum value."""
        op = self.operations.get(("post", collection.split("?")[0]))
        result: list[dict[str, Any]] = [{}]
        if op is None or op.body is None:
            return result
        schema = self.schemas.simplify(op.body)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            prop = self.schemas.simplify(prop)
            if name in required or not prop.get("enum"):
                continue
            result.extend(
                {name: choice} for choice in prop["enum"] if choice != prop.get("default")
            )
        return result[:6]

    def thing(
        self, url: str, template: str | None = None, variant: int = 0
    ) -> dict[str, Any] | None:
        """A thing in the collection at ``url``: made by its POST, or else listed."""
        template = template or url
        key = (url, variant)
        if key in self.made:
            return self.made[key]
        if url in self.busy:
            return None
        self.busy.add(url)
        try:
            found: dict[str, Any] | None = None
            post = self.operations.get(("post", template))
            variants = self.variants(template)
            if (
                post is not None
                and post.body is not None
                and not post.caller_is_throwaway
                and variant < len(variants)
            ):
                found = self.make(url, post, self.body(post.body, variants[variant]))
            if found is None and variant == 0 and ("get", template) in self.operations:
                found = self.listed(url)
            self.made[key] = found
            return found
        finally:
            self.busy.discard(url)

    def make(self, url: str, op: Operation, body: dict[str, Any]) -> dict[str, Any] | None:
        """POST a valid body as the admin: what was made, or None."""
        response = self.judge.send(
            "post", url, caller=self.admin, content=encode(body), headers=self.headers(op)
        )
        if response is not None and response.status_code < 300:
            made = response.json()
            return made if isinstance(made, dict) else None
        return None

    def listed(self, url: str) -> dict[str, Any] | None:
        response = self.judge.send("get", url, caller=self.admin)
        if response is None or response.status_code != 200:
            return None
        page = response.json()
        items = page.get("items") if isinstance(page, dict) else page
        for item in items if isinstance(items, list) else []:
            # Never the admin itself: a PATCH of hostile values must not lock it out.
            if isinstance(item, dict) and item.get("email") != self.admin.email:
                return item
        return None

    def path_values(self, op: Operation) -> dict[str, str] | None:
        """Real values for the path parameters of ``op``, or None when some are unknown."""
        target = self.target(op)
        return target[1] if target else None

    def target(self, op: Operation) -> tuple[str, dict[str, str]] | None:
        """A real URL for ``op`` and its path values, or None when some are unknown.

        A POST under a thing (a comment of a post, a refund of a payment) gets a thing
        that accepted a valid body, in a fresh twin so that the check used up nothing
        (a full refund); other kinds of the thing (a published post) are tried in turn.
        """
        if op.name not in self.targets:
            self.targets[op.name] = self.search(op, {})
        return self.targets[op.name]

    def search(self, op: Operation, values: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        names = op.path_params
        if len(values) == len(names):
            return fill(op.path, values), values
        name = names[len(values)]
        template = op.path[: op.path.index("{" + name + "}") - 1]
        url = fill(template, values)
        creates_under = (
            op.method == "post" and op.body is not None and len(values) + 1 == len(names)
        )
        for variant in range(len(self.variants(template))):
            made = self.thing(url, template, variant)
            value = self.identify(made, name)
            if value is None:
                continue
            found = self.search(op, {**values, name: value})
            if found is None:
                continue
            if not creates_under:
                return found
            if self.make(found[0], op, self.body(op.body)) is None:
                continue
            twin = self.identify(self.fresh(url, template, variant), name)
            if twin is not None:
                found = self.search(op, {**values, name: twin}) or found
            return found
        return None

    @staticmethod
    def identify(made: dict[str, Any] | None, name: str) -> str | None:
        """The value of path parameter ``name`` for a thing: ``slug``, or else its id."""
        if made is None:
            return None
        value = made[name] if name in made and not name.endswith("_id") else made.get("id")
        return None if value is None else quote(str(value), safe="")

    def fresh(self, url: str, template: str, variant: int) -> dict[str, Any] | None:
        post = self.operations.get(("post", template))
        if post is None or post.body is None:
            return None
        return self.make(url, post, self.body(post.body, self.variants(template)[variant]))


def fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


# -- Cases -----------------------------------------------------------------------------


def set_path(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of ``body`` with the field at ``path`` set (nested objects made as needed)."""
    copy = dict(body)
    head, rest = path[0], path[1:]
    if rest:
        inner = copy.get(head)
        copy[head] = set_path(inner if isinstance(inner, dict) else {}, rest, value)
    else:
        copy[head] = value
    return copy


def drop_path(body: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    copy = dict(body)
    if len(path) == 1:
        copy.pop(path[0], None)
    elif isinstance(copy.get(path[0]), dict):
        copy[path[0]] = drop_path(copy[path[0]], path[1:])
    return copy


def fields(
    schemas: Schemas, schema: Any, prefix: tuple[str, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[str, ...], dict[str, Any], bool]]:
    """Every field of an object schema, nested objects included: (path, schema, required)."""
    schema = schemas.simplify(schema)
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        simple = schemas.simplify(prop)
        if simple.get("readOnly"):
            continue
        yield (*prefix, name), prop, name in required
        if schemas.type_of(simple) == "object" and depth < 2:
            yield from fields(schemas, simple, (*prefix, name), depth + 1)


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


@dataclass
class Plan:
    api: httpx.Client
    world: World
    admin: Account

    def callers(self, op: Operation) -> list[Account | None]:
        """Who sends the cases of ``op``: signed in, and signed out where it is public."""
        signed_in = self.throwaway() if op.caller_is_throwaway else self.admin
        if op.public:
            return [None] if op.caller_is_throwaway else [signed_in, None]
        return [signed_in]

    def throwaway(self) -> Account:
        email = unique_email("hostile")
        response = self.api.post("/auth/register", json={"email": email, "password": PASSWORD})
        assert response.status_code == 201, response.text
        return sign_in(self.api, email, PASSWORD)

    def operations(self, keep: Callable[[Operation], bool]) -> list[Operation]:
        return [op for op in self.world.schemas.operations() if keep(op)]

    def judge(self) -> Judge:
        """A judge for one test; what the world makes on the way is judged by it too."""
        self.world.judge = Judge(self.api)
        return self.world.judge


@pytest.fixture(scope="module")
def plan(api: httpx.Client, admin: Account) -> Plan:
    response = api.get("/openapi.json")
    assert response.status_code == 200, response.text
    schemas = Schemas(response.json())
    assert schemas.operations(), "the OpenAPI document lists no operations"
    return Plan(api, World(Judge(api), schemas, admin), admin)


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
