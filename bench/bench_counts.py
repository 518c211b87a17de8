"""The database's share of task-api's lists at scale: EXPLAIN ANALYZE of the capped
counts (and pages) of GET /tasks, as the stacks wrote them before issue 15's count work
and as they write them now (issue 15, docs/pagination.md).

Usage: python bench/bench_counts.py [--rows 1000000] [--users 20] [--runs 7]
       [--database NAME] [--keep]

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


def _count(*parts: str) -> str:
    rows = " UNION ALL ".join(f"SELECT 1 FROM tasks WHERE {part}" for part in parts)
    return f"SELECT count(*) FROM ({rows} LIMIT {CAP}) AS matched"


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


def explain(database: str, sql: str, drop: bool) -> tuple[float, list[str]]:
    """Execution Time (ms) and scan nodes of ``sql``, with the count indexes dropped
    (rolled back) if ``drop``."""
    drops = "".join(f"DROP INDEX {name};" for name in COUNT_INDEXES) if drop else ""
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


def timed(database: str, sql: str, drop: bool, runs: int) -> tuple[float, list[str]]:
    explain(database, sql, drop)
    results = [explain(database, sql, drop) for _ in range(runs)]
    return statistics.median(t for t, _ in results), results[-1][1]


def prepare(database: str, rows: int, users: int, work: Path) -> int:
    """The database migrated and seeded (unless it has tasks); the first user's id."""
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'").strip()
    if exists and int(psql(database, "SELECT count(*) FROM tasks").strip()):
        return int(psql(database, "SELECT min(id) FROM users").strip())
    from toolkit import generate, load_catalog

    catalog = load_catalog()
    spec = catalog.resolve(
        "task-api", name="bench-counts", framework="fastapi", database="postgres"
    )
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
    psql(
        database,
        "INSERT INTO users (email, password_hash, role, is_active, created_at, updated_at) "
        f"SELECT 'user' || n || '@example.com', 'x', 'user', true, now(), now() "
        f"FROM generate_series(1, {users}) AS n",
    )
    ids = [int(i) for i in psql(database, "SELECT id FROM users ORDER BY id").split()]
    progress(f"counts: seeding {rows} tasks")
    started = time.monotonic()
    for statement in seed_statements(ids, rows):
        psql(database, statement)
    psql(database, "VACUUM ANALYZE")
    progress(f"counts: seeded in {time.monotonic() - started:.0f} s")
    return ids[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per statement")
    parser.add_argument("--database", default="bench_counts")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-counts-"))
    try:
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
