"""The database's share of task-api's lists at scale: EXPLAIN ANALYZE of the capped
counts (and pages) of GET /tasks, as the stacks wrote them before issue 15's count work
and as they write them now (issue 15, docs/pagination.md).

Usage: python bench/bench_counts.py [--kind task-api|inventory|blog-api|payments]
       [--rows 1000000] [--users 20] [--runs 7] [--database NAME] [--keep]

What it does:
  1. generates task-api (FastAPI, PostgreSQL) and migrates a database of its own with
     it (`bench_counts` unless --database; dropped at the end unless --keep; an existing
     one with tasks in it is used as it is, so that a kept database is measured again
     without seeding);
  2. adds --users users and seeds --rows tasks with the EXPLAIN test's seed SQL scaled
     up (bench_scale.seed_statements), then VACUUM ANALYZE;
  3. for each statement below, the median Execution Time of --runs runs of EXPLAIN
     (ANALYZE) after one warm-up run, and the plan's top scan nodes. "before" is the SQL
     of the stacks before this change, run with the count indexes (migration 0005)
     dropped in a transaction that is rolled back; "after" is the SQL the stacks run now,
     with the indexes.

The statements are written here as the services build them (the EXPLAIN test in each
generated project checks the stacks' own SQL; this script times its shape). The user is
the first of the users (a twentieth of the tasks owned, a third of all tasks assigned
to someone). Database times only, no HTTP: bench/bench_scale.py times the requests.

With --kind inventory, the products of GET /products instead: the statements are timed
on the migrated, empty database, then at --rows products (the warehouses and products
of its EXPLAIN test's seed, scaled up); "before" is the exact count and the offset
page the stacks ran before, "after" the capped count and the cursor page, and the ratio
is after at --rows to after on the empty table. The database is always made anew.

With --kind blog-api, the posts of GET /posts in the same way (empty, then --rows posts
with their tags, the EXPLAIN test's seed scaled up over --users users): "before" the
exact count and the offset page, "after" the count capped at 10,000 and the cursor page,
in the list's order (published_at IS NOT NULL, published_at, id, all descending); the
user is the first of the users (a reader, who also sees their own drafts: the seed gives
them drafts only), the author filter the second user.

With --kind payments, the payments of GET /payments, the same way: --users users, then
--rows customers and --rows payments (its EXPLAIN test's seed, scaled up); the user is
the first of them (a --users-th of the payments). "before" is the exact count and the
offset page, with the list indexes of migration 0003_list_indexes dropped (rolled
back); "after" the capped count and the cursor page, with them.

Needs: psql, uv and the PostgreSQL server of the toolkit's catalog (127.0.0.1:5432,
user postgres). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import seed_statements
from bench_services import progress, psql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CAP = 10000
PAGE = 51  # the page's limit + 1, as the services ask
COUNT_INDEXES = (
    "ix_tasks_owner_status",
    "ix_tasks_assignee_status",
    "ix_tasks_status_priority_time",
)
ORDER = "ORDER BY created_at DESC, id DESC"
PAYMENT_INDEXES = (
    "ix_payments_created_id",
    "ix_payments_owner_created",
    "ix_payments_status_created",
    "ix_payments_owner_status",
    "ix_payments_currency_created",
    "ix_payments_owner_currency",
    "ix_payments_customer_created",
)


def _count_of(table: str, *parts: str) -> str:
    rows = " UNION ALL ".join(f"SELECT 1 FROM {table} WHERE {part}" for part in parts)
    return f"SELECT count(*) FROM ({rows} LIMIT {CAP}) AS matched"


def _count(*parts: str) -> str:
    return _count_of("tasks", *parts)


def cases(me: int) -> list[tuple[str, str, str]]:
    """(name, before, after) for the user ``me``."""
    either = f"(owner_id = {me} OR assignee_id = {me})"
    owned, assigned = f"owner_id = {me}", f"assignee_id = {me} AND owner_id <> {me}"
    parts = (owned, assigned)
    todo, low = "status = 'todo'", "priority = 'low'"
    return [
        ("user count", _count(either), _count(*parts)),
        ("user count scope=owned", _count(f"{either} AND {owned}"), _count(owned)),
        (
            "user count status=todo",
            _count(f"{either} AND {todo}"),
            _count(*(f"{p} AND {todo}" for p in parts)),
        ),
        (
            "user count status=todo&priority=low",
            _count(f"{either} AND {todo} AND {low}"),
            _count(*(f"{p} AND {todo} AND {low}" for p in parts)),
        ),
        (
            "user count priority=low",
            _count(f"{either} AND {low}"),
            _count(*(f"{p} AND {low}" for p in parts)),
        ),
        (
            "admin count status=todo&priority=low",
            _count(f"{todo} AND {low}"),
            _count(f"{todo} AND {low}"),
        ),
        ("admin count status=todo", _count(todo), _count(todo)),
        (
            "user page",
            f"SELECT * FROM tasks WHERE {either} {ORDER} LIMIT {PAGE}",
            f"SELECT * FROM tasks WHERE owner_id = {me} OR ({assigned}) {ORDER} LIMIT {PAGE}",
        ),
        (
            "user page status=todo",
            f"SELECT * FROM tasks WHERE {either} AND {todo} {ORDER} LIMIT {PAGE}",
            f"SELECT * FROM tasks WHERE (owner_id = {me} OR ({assigned})) AND {todo} {ORDER} "
            f"LIMIT {PAGE}",
        ),
        (
            "admin page status=todo&priority=low",
            f"SELECT * FROM tasks WHERE {todo} AND {low} {ORDER} LIMIT {PAGE}",
            f"SELECT * FROM tasks WHERE {todo} AND {low} {ORDER} LIMIT {PAGE}",
        ),
    ]


def _scans(node: dict) -> list[str]:
    found = []
    if "Scan" in node["Node Type"]:
        found.append(f"{node['Node Type']} {node.get('Index Name', '')}".strip())
    for child in node.get("Plans", []):
        found.extend(_scans(child))
    return found


def explain(database: str, sql: str, drop: bool | tuple[str, ...]) -> tuple[float, list[str]]:
    """Execution Time (ms) and scan nodes of ``sql``, with the count indexes (or the
    indexes named by ``drop``) dropped, rolled back, if ``drop``."""
    dropped = COUNT_INDEXES if drop is True else drop or ()
    drops = "".join(f"DROP INDEX {name};" for name in dropped)
    script = f"BEGIN;{drops}EXPLAIN (ANALYZE, FORMAT JSON) {sql};ROLLBACK;"
    done = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-qAt",
        ],
        input=script,
        capture_output=True,
        text=True,
        check=True,
    )
    plan = json.loads(done.stdout)[0]
    return plan["Execution Time"], _scans(plan["Plan"])


def timed(
    database: str, sql: str, drop: bool | tuple[str, ...], runs: int
) -> tuple[float, list[str]]:
    explain(database, sql, drop)
    results = [explain(database, sql, drop) for _ in range(runs)]
    return statistics.median(t for t, _ in results), results[-1][1]


def migrated(kind: str, database: str, work: Path) -> None:
    """``kind`` (FastAPI, PostgreSQL) generated and ``database`` (dropped first) made and
    migrated with it."""
    from toolkit import generate, load_catalog

    catalog = load_catalog()
    spec = catalog.resolve(kind, name="bench-counts", framework="fastapi", database="postgres")
    project = generate(spec, work / spec.name, catalog=catalog, git=False).path
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
    progress("counts: setup, database, migrate")
    subprocess.run(["uv", "sync", "--locked", "-q"], cwd=project, env=env, check=True)
    psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {database}")
    subprocess.run(
        ["uv", "run", "--no-sync", "alembic", "upgrade", "head"], cwd=project, env=env, check=True
    )


def added_users(database: str, users: int, role: str = "user") -> list[int]:
    """``users`` users of ``role`` added (a merchant, a task owner, a reader); their ids."""
    psql(
        database,
        "INSERT INTO users (email, password_hash, role, is_active, created_at, updated_at) "
        f"SELECT 'user' || n || '@example.com', 'x', '{role}', true, now(), now() "
        f"FROM generate_series(1, {users}) AS n",
    )
    return [int(i) for i in psql(database, "SELECT id FROM users ORDER BY id").split()]


def seeded(database: str, statements: list[str], what: str) -> None:
    progress(f"counts: seeding {what}")
    started = time.monotonic()
    for statement in statements:
        psql(database, statement)
    psql(database, "VACUUM ANALYZE")
    progress(f"counts: seeded in {time.monotonic() - started:.0f} s")


def prepare(database: str, rows: int, users: int, work: Path) -> int:
    """The database migrated and seeded (unless it has tasks); the first user's id."""
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'").strip()
    if exists and int(psql(database, "SELECT count(*) FROM tasks").strip()):
        return int(psql(database, "SELECT min(id) FROM users").strip())
    migrated("task-api", database, work)
    ids = added_users(database, users)
    seeded(database, seed_statements(ids, rows), f"{rows} tasks")
    return ids[0]


def product_cases(last: str, offset: int) -> list[tuple[str, str, str]]:
    """(name, before, after) of inventory's GET /products: ``last`` is the SKU before
    the last page, ``offset`` that page's offset. Before: an exact count and offset
    pages; after (issue 15): the count capped, deep pages by cursor."""
    category, active, beef = "category = 'category-7'", "is_active", "'%beef%'"
    q = f"(lower(sku) LIKE {beef} OR lower(name) LIKE {beef})"
    page = "ORDER BY sku LIMIT"
    found = [("count", "SELECT count(*) FROM products", _count_of("products", "true"))]
    for name, where in (
        ("count category", category),
        ("count category&is_active", f"{category} AND {active}"),
        ("count is_active=false", f"NOT {active}"),
        ("count q", q),
    ):
        found.append(
            (name, f"SELECT count(*) FROM products WHERE {where}", _count_of("products", where))
        )
    found.append(
        (
            "first page",
            f"SELECT * FROM products {page} {PAGE}",
            f"SELECT * FROM products {page} {PAGE}",
        )
    )
    found.append(
        (
            "last page (offset, then cursor)",
            f"SELECT * FROM products {page} {PAGE - 1} OFFSET {offset}",
            f"SELECT * FROM products WHERE (sku) > ('{last}') {page} {PAGE}",
        )
    )
    for name, where in (("page category", category), ("page q", q)):
        statement = f"SELECT * FROM products WHERE {where} {page} {PAGE}"
        found.append((name, statement, statement))
    return found


def products(database: str, rows: int, runs: int, work: Path) -> None:
    """inventory's products on an empty table, then at ``rows``: each statement's
    before and after, and the ratio of after at ``rows`` to after on the empty table."""
    migrated("inventory", database, work)
    empty = {
        name: timed(database, after, False, runs)[0] for name, _, after in product_cases("", 0)
    }
    seeded(database, seed_statements([1], rows, "inventory"), f"{rows} products")
    n = int(psql(database, "SELECT count(*) FROM products").strip())
    last = psql(database, f"SELECT sku FROM products ORDER BY sku OFFSET {n - PAGE} LIMIT 1")
    print(f"{n} products; EXPLAIN ANALYZE, median of {runs} (ms); x: after / after on empty")
    print(f"{'statement':<34}{'before':>9}{'after':>9}{'empty':>8}{'x':>7}  plan after")
    for name, before, after in product_cases(last.strip(), n - PAGE + 1):
        was, _ = timed(database, before, False, runs)
        now, scans = timed(database, after, False, runs)
        ratio = now / empty[name] if empty[name] else float("nan")
        print(
            f"{name:<34}{was:>9.2f}{now:>9.2f}{empty[name]:>8.3f}{ratio:>7.1f}  {', '.join(scans)}"
        )


POST_ORDER = "ORDER BY published_at IS NOT NULL DESC, published_at DESC, id DESC"
TAGGED = (
    "EXISTS (SELECT 1 FROM post_tags JOIN tags ON tags.id = post_tags.tag_id "
    "WHERE post_tags.post_id = posts.id AND tags.name = 'tag-7')"
)


def post_cases(
    me: int, author: int, last: tuple[str, str], offset: int
) -> list[tuple[str, str, str]]:
    """(name, before, after) of blog-api's GET /posts for the user ``me`` (whose posts
    are all drafts in the seed) and ``author`` (a user with published posts): ``last`` is
    the (published_at, id) of the post before the last page of published posts,
    ``offset`` that page's offset. Before: an exact count and offset pages; after (issue
    15): the count capped, deep pages by cursor."""
    published = "status = 'published'"
    q = "(lower(title) LIKE '%beef%' OR lower(body) LIKE '%beef%')"
    filters = {
        "": published,
        " tag": f"{published} AND {TAGGED}",
        " author": f"{published} AND author_id = {author}",
        " q": f"{published} AND {q}",
        " own drafts": f"status = 'draft' AND author_id = {me}",
    }
    found = []
    for name, where in filters.items():
        found.append(
            (f"count{name}", f"SELECT count(*) FROM posts WHERE {where}", _count_of("posts", where))
        )
    found.append(
        (
            "first page",
            f"SELECT * FROM posts WHERE {published} {POST_ORDER} LIMIT {PAGE}",
            f"SELECT * FROM posts WHERE {published} {POST_ORDER} LIMIT {PAGE}",
        )
    )
    when, post = last
    found.append(
        (
            "last page (offset, then cursor)",
            f"SELECT * FROM posts WHERE {published} {POST_ORDER} LIMIT {PAGE - 1} OFFSET {offset}",
            f"SELECT * FROM posts WHERE {published} AND (published_at IS NOT NULL, published_at, "
            f"id) < (true, '{when}', {post}) {POST_ORDER} LIMIT {PAGE}",
        )
    )
    for name in (" tag", " author", " q", " own drafts"):
        statement = f"SELECT * FROM posts WHERE {filters[name]} {POST_ORDER} LIMIT {PAGE}"
        found.append((f"page{name}", statement, statement))
    return found


def posts(database: str, rows: int, users: int, runs: int, work: Path) -> None:
    """blog-api's posts on an empty table, then at ``rows``: each statement's before and
    after, and the ratio of after at ``rows`` to after on the empty table."""
    migrated("blog-api", database, work)
    ids = added_users(database, users, role="reader")
    empty_cases = post_cases(ids[0], ids[1], ("2026-01-01", "1"), 0)
    empty = {name: timed(database, after, False, runs)[0] for name, _, after in empty_cases}
    seeded(database, seed_statements(ids, rows, "blog-api"), f"{rows} posts")
    n = int(psql(database, "SELECT count(*) FROM posts WHERE status = 'published'").strip())
    last = psql(
        database,
        f"SELECT published_at, id FROM posts WHERE status = 'published' {POST_ORDER} "
        f"OFFSET {n - PAGE} LIMIT 1",
    ).strip()
    when, post = last.split("|")
    print(f"{n} published posts of {rows}; EXPLAIN ANALYZE, median of {runs} (ms); x: after /")
    print("after on empty")
    print(f"{'statement':<34}{'before':>9}{'after':>9}{'empty':>8}{'x':>7}  plan after")
    for name, before, after in post_cases(ids[0], ids[1], (when, post), n - PAGE + 1):
        was, _ = timed(database, before, False, runs)
        now, scans = timed(database, after, False, runs)
        ratio = now / empty[name] if empty[name] else float("nan")
        print(
            f"{name:<34}{was:>9.2f}{now:>9.2f}{empty[name]:>8.3f}{ratio:>7.1f}  {', '.join(scans)}"
        )


def payment_cases(me: int, last: tuple[str, str], offset: int) -> list[tuple[str, str, str]]:
    """(name, before, after) of payments' GET /payments for the user ``me`` and the admin:
    ``last`` is (created_at, id) of the row before the admin's last page, ``offset`` that
    page's offset. Before: an exact count and offset pages; after (issue 15): the count
    capped, deep pages by cursor."""
    mine, failed, eur = f"owner_id = {me}", "status = 'failed'", "currency = 'EUR'"
    refunded_usd = "status = 'refunded' AND currency = 'USD'"
    found = []
    for name, where in (
        ("admin count", "true"),
        ("admin count status=failed", failed),
        ("user count", mine),
        ("user count currency=EUR", f"{mine} AND {eur}"),
        ("user count status=refunded&USD", f"{mine} AND {refunded_usd}"),
    ):
        found.append(
            (name, f"SELECT count(*) FROM payments WHERE {where}", _count_of("payments", where))
        )
    for name, where in (
        ("admin first page", "true"),
        ("admin page status=failed", failed),
        ("user first page", mine),
        ("user page currency=EUR", f"{mine} AND {eur}"),
        ("user page status=refunded&USD", f"{mine} AND {refunded_usd}"),
    ):
        statement = f"SELECT * FROM payments WHERE {where} {ORDER} LIMIT {PAGE}"
        found.append((name, statement, statement))
    at, row = last
    found.append(
        (
            "admin last page (offset, then cursor)",
            f"SELECT * FROM payments {ORDER} LIMIT {PAGE - 1} OFFSET {offset}",
            f"SELECT * FROM payments WHERE (created_at, id) < ('{at}', {row}) {ORDER} LIMIT {PAGE}",
        )
    )
    return found


def payments(database: str, rows: int, users: int, runs: int, work: Path) -> None:
    """payments' list on an empty table, then at ``rows``: each statement's before and
    after, and the ratio of after at ``rows`` to after on the empty table."""
    migrated("payments", database, work)
    ids = added_users(database, users)
    nothing = ("1970-01-01", "1")
    empty = {
        name: timed(database, after, (), runs)[0]
        for name, _, after in payment_cases(ids[0], nothing, 0)
    }
    seeded(database, seed_statements(ids, rows, "payments"), f"{rows} payments")
    n = int(psql(database, "SELECT count(*) FROM payments").strip())
    last = psql(
        database,
        f"SELECT created_at || '|' || id FROM payments {ORDER} OFFSET {n - PAGE} LIMIT 1",
    )
    at, row = last.strip().split("|")
    print(
        f"{n} payments over {users} users; EXPLAIN ANALYZE, median of {runs} (ms); "
        "x: after / after on empty"
    )
    print(f"{'statement':<40}{'before':>9}{'after':>9}{'empty':>8}{'x':>7}  plan after")
    for name, before, after in payment_cases(ids[0], (at, row), n - PAGE + 1):
        was, _ = timed(database, before, PAYMENT_INDEXES, runs)
        now, scans = timed(database, after, (), runs)
        ratio = now / empty[name] if empty[name] else float("nan")
        print(
            f"{name:<40}{was:>9.2f}{now:>9.2f}{empty[name]:>8.3f}{ratio:>7.1f}  {', '.join(scans)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--kind", choices=("task-api", "inventory", "blog-api", "payments"), default="task-api"
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per statement")
    parser.add_argument("--database", default="bench_counts")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-counts-"))
    try:
        if args.kind in ("inventory", "blog-api", "payments"):
            load = Path("/proc/loadavg").read_text().split(" ")[:3]
            if args.kind == "inventory":
                products(args.database, args.rows, args.runs, work)
            elif args.kind == "blog-api":
                posts(args.database, args.rows, args.users, args.runs, work)
            else:
                payments(args.database, args.rows, args.users, args.runs, work)
            after = Path("/proc/loadavg").read_text().split(" ")[:3]
            print(f"load average before: {' '.join(load)}; after: {' '.join(after)}")
            return
        me = prepare(args.database, args.rows, args.users, work)
        tasks = psql(args.database, "SELECT count(*) FROM tasks").strip()
        load = [Path("/proc/loadavg").read_text().split(" ")[:3]]
        print(f"{tasks} tasks over {args.users} users; EXPLAIN ANALYZE, median of {args.runs} (ms)")
        print(f"{'statement':<40}{'before':>9}{'after':>9}  plan after")
        for name, before, after in cases(me):
            was, _ = timed(args.database, before, True, args.runs)
            now, scans = timed(args.database, after, False, args.runs)
            print(f"{name:<40}{was:>9.2f}{now:>9.2f}  {', '.join(scans)}")
        load.append(Path("/proc/loadavg").read_text().split(" ")[:3])
        print(f"load average before: {' '.join(load[0])}; after: {' '.join(load[1])}")
    finally:
        if not args.keep:
            psql("postgres", f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
