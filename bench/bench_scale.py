"""Does a request's cost grow with the table? task-api's GET /tasks and POST /tasks,
inventory's GET /products (--kind inventory), blog-api's GET /posts and POST /posts
(--kind blog-api) or payments' GET /payments and POST /payments (--kind payments), empty
table against --rows rows, on each framework and PostgreSQL (issue 15).

Usage: python bench/bench_scale.py [--kind task-api|inventory|blog-api|payments]
       [--frameworks fastapi,flask,django,express] [--rows 1000000] [--requests N] [--json]

What it does, one framework after the other (one service up at a time):
  1. generates task-api on PostgreSQL (`scaffold new ... -d postgres`, its own database
     `scale_<kind>_<framework>`), installs it with its setup command, migrates it, creates an
     admin with its create_admin command and starts its real production server (the one
     its Dockerfile runs) with one worker process, as bench/bench_services.py does;
  2. signs up --users users through the API (the first is "the user") and signs in the
     admin;
  3. times each request below on the empty table: the median of --requests sequential
     requests on one kept-alive connection, after 3 warm-up requests. The database's
     share of each request is read from pg_stat_statements when the server preloads it
     (`shared_preload_libraries`), else left out;
  4. seeds --rows tasks with the database's bulk load: the seed SQL of the kind's EXPLAIN
     test (list_plans.json, INSERT ... SELECT ... FROM generate_series) scaled up, the
     tasks spread over the users (10 projects each, a third assigned to another user, a
     fifth without a due date), then VACUUM ANALYZE; the time of the seed is printed;
  5. times the same requests again and prints both, with the ratio rows/empty.

The requests, as the admin (every task) and as the user (tasks owned or assigned):
  first       GET /tasks?limit=50
  deep        GET /tasks?limit=50&offset=<n - 50> (the last page; n counted by psql, as
              the API's total is capped)
  deep cursor GET /tasks?limit=50&cursor=<the cursor of the same page>, where the service
              answers a `next_cursor` (the cursor of the page after an offset page)
  filtered    GET /tasks?limit=50&status=todo&priority=low (admin),
              GET /tasks?limit=50&scope=owned (user)
  create      POST /tasks (user)

With --kind inventory, the seed is the warehouses and --rows products of its EXPLAIN
test's seed SQL (40 categories, a tenth inactive; its stock levels and movements are
left out), and the requests, as a viewer (who sees every product, as the admin does):
  first       GET /products?limit=50
  deep        GET /products?limit=50&offset=<n - 50>
  deep cursor GET /products?limit=50&cursor=<the cursor of the same page>
  category    GET /products?limit=50&category=category-7
  category, active  ... &category=category-7&is_active=true
  inactive    GET /products?limit=50&is_active=false
  q           GET /products?limit=50&q=beef

With --kind blog-api, the seed is --rows posts of its EXPLAIN test's seed SQL over the
users (a tenth drafts, half of them never published; 200 tags, two per post; its
comments are left out), and the requests, as the user (a reader) unless named:
  first       GET /posts?limit=50
  deep        GET /posts?limit=50&offset=<published posts - 50>
  deep cursor GET /posts?limit=50&cursor=<the cursor of the same page>
  tag         GET /posts?limit=50&tag=tag-7
  author      GET /posts?limit=50&author=<the second user> (the first has drafts only)
  q           GET /posts?limit=50&q=beef
  drafts      GET /posts?limit=50&status=draft (admin: every draft)
  create      POST /posts (admin), published, with two tags

With --kind payments, the seed is --rows customers and --rows payments of its EXPLAIN
test's seed SQL (spread over the users, newest first by a minute each; 60% succeeded,
10% failed, pending, partially refunded, refunded; a third each EUR, USD, GBP; its
refunds, events, ledger entries and deliveries are left out), and the requests, as the
admin (every payment) and the user (their own, a --users-th of them):
  first, deep, deep cursor   GET /payments?limit=50 (and its last page), each role
  failed      GET /payments?limit=50&status=failed (admin)
  currency    GET /payments?limit=50&currency=EUR (user)
  refunded USD  GET /payments?limit=50&status=refunded&currency=USD (user)
  create      POST /payments (user, a fresh Idempotency-Key each time)

Needs: psql, uv, node/npm for Express, and the PostgreSQL server of the toolkit's catalog
(127.0.0.1:5432, user postgres). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client as httpclient
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _project
from bench_services import http, progress, psql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAMEWORKS = ("fastapi", "flask", "django", "express")
PAGE = 50
PASSWORD = "bench-password-1234"
KINDS = ("task-api", "inventory", "blog-api", "payments")
WARMUP = 3


@dataclass
class Probe:
    """One timed request."""

    name: str
    role: str
    method: str
    path: str
    body: dict | None = None
    # A new Idempotency-Key header for each request (POST /payments).
    fresh_key: bool = False


@dataclass
class Service:
    kind: str
    framework: str
    database: str
    port: int
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: list[int] = field(default_factory=list)


def plans(kind: str) -> Path:
    """The description of ``kind``'s EXPLAIN test (its seed SQL)."""
    return next((ROOT / "templates" / kind / "common+postgres").glob("*/list_plans.json"))


#: The tables of a kind's seed that are seeded (None: all of them).
SEEDED = {
    "task-api": None,
    "inventory": ("warehouses", "products"),
    "blog-api": ("posts", "tags", "post_tags"),
    "payments": ("customers", "payments"),
}
#: The table each kind's list reads (whose rows --rows counts).
TABLES = {"task-api": "tasks", "inventory": "products", "blog-api": "posts", "payments": "payments"}


def seed_statements(users: list[int], rows: int, kind: str = "task-api") -> list[str]:
    """The EXPLAIN test's seed SQL, for ``users`` and ``rows`` rows instead of 100k (the
    tasks, or the products)."""
    spec = json.loads(plans(kind).read_text())
    array = "ARRAY[" + ",".join(str(u) for u in users) + "]"
    tables = SEEDED[kind]
    statements = []
    for statement in spec["seed"]:
        if tables is not None and statement.split()[2] not in tables:
            continue
        statement = statement.replace("{users}", array).replace("{me}", str(users[0]))
        # Numbered names (SKUs) get the digits of the largest number.
        widened = statement.replace("lpad(g::text, 6,", f"lpad(g::text, {len(str(rows))},")
        statements.append(
            widened.replace("generate_series(1, 100000)", f"generate_series(1, {rows})")
        )
    if not any(f"generate_series(1, {rows})" in s for s in statements):
        raise RuntimeError(f"{plans(kind)} seeds no generate_series(1, 100000) to scale up")
    return statements


class Client:
    """Sequential requests on one kept-alive connection."""

    def __init__(self, port: int) -> None:
        self.connection = httpclient.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(
        self, method: str, path: str, token: str, body: dict | None = None, key: bool = False
    ) -> tuple[float, int, dict]:
        headers = {"Authorization": f"Bearer {token}"}
        if key:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, data, headers)
            response = self.connection.getresponse()
        except (BrokenPipeError, ConnectionResetError, httpclient.RemoteDisconnected):
            # The server closed the kept-alive connection (its idle timeout, on a loaded
            # machine): once more on a new one, timed from there.
            self.connection.close()
            started = time.perf_counter()
            self.connection.request(method, path, data, headers)
            response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        return elapsed, response.status, json.loads(payload or b"null")

    def close(self) -> None:
        self.connection.close()


def statements_time(database: str) -> float | None:
    """Total execution time (ms) pg_stat_statements has for ``database``, or None."""
    try:
        out = psql(
            database,
            "SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()",
        )
    except RuntimeError:
        return None
    return float(out.strip() or 0)


def visible(service: Service, role: str) -> int:
    """How many tasks (products) ``role`` sees, counted by the database (the API's total
    is capped)."""
    if service.kind == "inventory":
        return int(psql(service.database, "SELECT count(*) FROM products").strip())
    if service.kind == "blog-api":
        published = "SELECT count(*) FROM posts WHERE status = 'published'"
        return int(psql(service.database, published).strip())
    if service.kind == "payments":
        mine = "" if role == "admin" else f"WHERE owner_id = {service.user_ids[0]}"
        return int(psql(service.database, f"SELECT count(*) FROM payments {mine}").strip())
    where = (
        ""
        if role == "admin"
        else (f"WHERE owner_id = {service.user_ids[0]} OR assignee_id = {service.user_ids[0]}")
    )
    return int(psql(service.database, f"SELECT count(*) FROM tasks {where}").strip())


def deep(service: Service, client: Client, role: str, path: str) -> list[Probe]:
    """The first and last page of ``path`` for ``role``, by offset and by cursor."""
    _, _, first = client.call("GET", f"{path}?limit={PAGE}", service.tokens[role])
    offset = max(0, visible(service, role) - PAGE)
    found = [
        Probe("first", role, "GET", f"{path}?limit={PAGE}"),
        Probe("deep offset", role, "GET", f"{path}?limit={PAGE}&offset={offset}"),
    ]
    if "next_cursor" in first:
        # The cursor of the last page: the next_cursor of the page before it.
        before = max(0, offset - PAGE)
        _, _, page = client.call(
            "GET", f"{path}?limit={PAGE}&offset={before}", service.tokens[role]
        )
        cursor = page.get("next_cursor")
        if cursor:
            query = urlencode({"limit": PAGE, "cursor": cursor})
            found.append(Probe("deep cursor", role, "GET", f"{path}?{query}"))
    return found


def probes(service: Service, client: Client) -> list[Probe]:
    """The requests to time, with the offsets (and cursors) of the table as it is now."""
    if service.kind == "inventory":
        found = deep(service, client, "user", "/products")
        for name, query in (
            ("category", "category=category-7"),
            ("category, active", "category=category-7&is_active=true"),
            ("inactive", "is_active=false"),
            ("q", "q=beef"),
        ):
            found.append(Probe(name, "user", "GET", f"/products?limit={PAGE}&{query}"))
        return found
    if service.kind == "blog-api":
        found = deep(service, client, "user", "/posts")
        for name, query in (
            ("tag", "tag=tag-7"),
            # The seed gives the first user drafts only; the second has published posts.
            ("author", f"author={service.user_ids[1]}"),
            ("q", "q=beef"),
        ):
            found.append(Probe(name, "user", "GET", f"/posts?limit={PAGE}&{query}"))
        found.append(Probe("drafts", "admin", "GET", f"/posts?limit={PAGE}&status=draft"))
        post = {"title": "Bench", "body": "timed", "status": "published", "tags": ["a", "b"]}
        found.append(Probe("create", "admin", "POST", "/posts", post))
        return found
    if service.kind == "payments":
        found = [
            probe
            for role in ("admin", "user")
            for probe in deep(service, client, role, "/payments")
        ]
        for name, role, query in (
            ("failed", "admin", "status=failed"),
            ("currency", "user", "currency=EUR"),
            ("refunded USD", "user", "status=refunded&currency=USD"),
        ):
            found.append(Probe(name, role, "GET", f"/payments?limit={PAGE}&{query}"))
        card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
        body = {"amount": 1234, "currency": "EUR", "description": "bench", "card": card}
        found.append(Probe("create", "user", "POST", "/payments", body, fresh_key=True))
        return found
    found = [probe for role in ("admin", "user") for probe in deep(service, client, role, "/tasks")]
    found.append(Probe("filtered", "admin", "GET", f"/tasks?limit={PAGE}&status=todo&priority=low"))
    found.append(Probe("own", "user", "GET", f"/tasks?limit={PAGE}&scope=owned"))
    found.append(
        Probe("create", "user", "POST", "/tasks", {"title": "bench", "description": "timed"})
    )
    return found


def measure(service: Service, requests: int) -> dict[str, dict[str, float]]:
    """Median wall time (and database time) of each probe, in ms."""
    client = Client(service.port)
    try:
        results = {}
        for probe in probes(service, client):
            token = service.tokens[probe.role]
            for _ in range(WARMUP):
                client.call(probe.method, probe.path, token, probe.body, probe.fresh_key)
            times, db_times = [], []
            for _ in range(requests):
                before = statements_time(service.database)
                elapsed, status, _ = client.call(
                    probe.method, probe.path, token, probe.body, probe.fresh_key
                )
                after = statements_time(service.database)
                if status >= 400:
                    raise RuntimeError(f"{service.framework} {probe.path}: {status}")
                times.append(elapsed * 1000)
                if before is not None and after is not None:
                    db_times.append(after - before)
            results[f"{probe.name} ({probe.role})"] = {
                "ms": statistics.median(times),
                "db_ms": statistics.median(db_times) if db_times else float("nan"),
            }
        return results
    finally:
        client.close()


@contextmanager
def served(kind: str, framework: str, work: Path, users: int) -> Iterator[Service]:
    """``kind`` on ``framework`` and PostgreSQL: generated, installed, migrated, served."""
    with _project.served(
        kind, framework, f"scale-{kind}-{framework}", work, label=framework, admin=True
    ) as project:
        base = project.base
        service = Service(kind, framework, project.database, int(base.rsplit(":", 1)[1]))
        progress(f"{framework}: signing up {users} users")
        for number in range(users):
            email = f"user{number}@example.com"
            http("POST", f"{base}/auth/register", {"email": email, "password": PASSWORD})
            token = http("POST", f"{base}/auth/login", {"email": email, "password": PASSWORD})[
                "access_token"
            ]
            service.user_ids.append(int(http("GET", f"{base}/users/me", token=token)["id"]))
            if number == 0:
                service.tokens["user"] = token
        service.tokens["admin"] = http(
            "POST",
            f"{base}/auth/login",
            {
                "email": project.env["FIRST_ADMIN_EMAIL"],
                "password": project.env["FIRST_ADMIN_PASSWORD"],
            },
        )["access_token"]
        yield service


def bench(framework: str, work: Path, args: argparse.Namespace) -> dict:
    table = TABLES[args.kind]
    with served(args.kind, framework, work, args.users) as service:
        with suppress(RuntimeError):
            psql(service.database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        progress(f"{framework}: timing on the empty table")
        empty = measure(service, args.requests)
        progress(f"{framework}: seeding {args.rows} {table}")
        started = time.monotonic()
        for statement in seed_statements(service.user_ids, args.rows, args.kind):
            psql(service.database, statement)
        psql(service.database, "VACUUM ANALYZE")
        seeded = time.monotonic() - started
        progress(f"{framework}: seeded in {seeded:.0f} s; timing on {args.rows} {table}")
        full = measure(service, args.requests)
        return {"empty": empty, "full": full, "seed_s": seeded}


def _ms(value: float) -> str:
    return "-" if value != value else f"{value:.2f}"


def report(results: dict, args: argparse.Namespace, load: tuple[str, str]) -> str:
    rows = TABLES[args.kind]
    if args.kind != "inventory":
        rows = f"{rows} over {args.users} users"
    lines = [
        f"{args.kind} on PostgreSQL, 1 worker each, {args.rows} {rows}, "
        f"median of {args.requests} sequential requests (ms), list limit={PAGE}",
        f"load average before: {load[0]}; after: {load[1]}",
        "",
        f"{'service':<9}{'request':<24}{'empty':>9}{'full':>9}{'x':>7}{'db empty':>10}"
        f"{'db full':>9}",
    ]
    for name, figures in results.items():
        for request, full in figures["full"].items():
            # A cursor page on an empty table has no cursor: its baseline is the first
            # page of the same role (the same query without the keyset condition).
            baseline = request.replace("deep cursor", "first")
            empty = figures["empty"].get(request) or figures["empty"][baseline]
            label = request if request in figures["empty"] else f"{request} *"
            lines.append(
                f"{name:<9}{label:<24}{empty['ms']:>9.1f}{full['ms']:>9.1f}"
                f"{full['ms'] / empty['ms']:>7.1f}{_ms(empty['db_ms']):>10}{_ms(full['db_ms']):>9}"
            )
        lines.append(f"{name:<9}seeded in {figures['seed_s']:.0f} s")
    lines.append("* against the empty table's first page of the same role (no cursor there)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=KINDS, default="task-api")
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20, help="users the tasks are spread over")
    parser.add_argument("--requests", type=int, default=15, help="timed requests per probe")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    frameworks = [f for f in args.frameworks.split(",") if f]
    unknown = set(frameworks) - set(FRAMEWORKS)
    if unknown:
        sys.exit(f"unknown frameworks: {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-scale-"))
    try:
        before = Path("/proc/loadavg").read_text().split(" ")[:3]
        results = {framework: bench(framework, work, args) for framework in frameworks}
        after = Path("/proc/loadavg").read_text().split(" ")[:3]
        if args.json:
            print(json.dumps({"load": [before, after], "results": results}, indent=2))
        else:
            print(report(results, args, (" ".join(before), " ".join(after))))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
