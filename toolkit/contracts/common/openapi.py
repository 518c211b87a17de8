"""The service's own OpenAPI document, read for the checks that come from it.

Its operations and schemas; valid bodies built from the schemas, with real ids of
things made (or found) through the API itself; and a judge of answers: below 500,
and every 4xx with the JSON error body. ``test_hostile_input.py`` and
``test_strict_types.py`` spoil one value of such a body, query or path at a time.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from ..conftest import PASSWORD, Account, register, unique_email

JSON = "application/json"
METHODS = ("get", "post", "put", "patch", "delete")
WRITES = ("post", "put", "patch")
#: Bodies from this size on may be refused unread (Express answers 413 from 100 KB).
LARGE_BODY = 64 * 1024
#: How many failures a test shows (all are counted).
SHOWN = 25


def encode(value: Any) -> bytes:
    """JSON with NaN/Infinity literals and lone surrogates kept as ``\\ud800`` escapes."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()


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
        expect: int | None = None,
        naming: str | None = None,
    ) -> httpx.Response | None:
        """Send a request and judge the answer (``expect``: the one status it must have;
        ``naming``: a field a 422's ``errors`` must name)."""
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
        problem = judge(response) or expected(response, expect, naming)
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


def expected(response: httpx.Response, status: int | None, naming: str | None) -> str | None:
    """What is wrong with an answer that must be ``status`` (a 422 naming ``naming``)."""
    if status is None:
        return None
    if response.status_code != status:
        return f"{response.status_code}, not {status}: {response.text[:200]!r}"
    if status == 422 and naming is not None:
        errors = response.json().get("errors")
        named = {e.get("field") for e in errors if isinstance(e, dict)} if errors else set()
        if naming not in named:
            return f"422 without an error for {naming!r}: {response.text[:200]!r}"
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
        return register(self.api, "hostile")

    def operations(self, keep: Callable[[Operation], bool]) -> list[Operation]:
        return [op for op in self.world.schemas.operations() if keep(op)]

    def judge(self) -> Judge:
        """A judge for one test; what the world makes on the way is judged by it too."""
        self.world.judge = Judge(self.api)
        return self.world.judge


def make_plan(api: httpx.Client, admin: Account) -> Plan:
    """Read the document and set up a world of things to point ids at (a module's fixture)."""
    response = api.get("/openapi.json")
    assert response.status_code == 200, response.text
    schemas = Schemas(response.json())
    assert schemas.operations(), "the OpenAPI document lists no operations"
    return Plan(api, World(Judge(api), schemas, admin), admin)
