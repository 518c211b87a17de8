"""The list endpoints' query plans at 100k rows: every documented filter and sort has an index.

The kind describes its lists once, in tests/list_plans.json: the SQL that seeds the
tables in bulk (generate_series, in seconds), and for each list's main table the paths
of each documented filter and sort. For each path, as a user and as an admin, the test
calls the API, captures the SQL the service layer runs on that table (tests/plans.py,
per stack), and asks PostgreSQL for its plan with the same parameters: a sequential
scan of the table fails the test, naming the path and showing the plan (except the
count of an unfiltered list, which reads every row whichever way: ``counts_every_row``,
and a count an index serves that PostgreSQL rightly counts by reading the table:
``counts_most_rows``).
"""

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

Headers = dict[str, str]

SPEC: dict[str, Any] = json.loads((Path(__file__).parent / "list_plans.json").read_text())


class PlanDatabase(Protocol):
    """What the check needs of a stack's database: run SQL, capture and explain queries."""

    def execute(self, sql: str) -> Any:
        """Run ``sql`` (no parameters); return the first column of its first row, if any."""

    def capture(self) -> AbstractContextManager[list[tuple[str, Any]]]:
        """Collect the statements (SQL and parameters) the app runs meanwhile."""

    def explain(self, sql: str, parameters: Any, seqscan: bool = True) -> Any:
        """The plan of ``sql`` with ``parameters`` (EXPLAIN (FORMAT JSON)).

        ``seqscan=False``: the plan PostgreSQL makes when sequential scans are off.
        """


def _nodes(plan: Any) -> Iterator[dict[str, Any]]:
    if isinstance(plan, dict):
        yield plan
        for value in plan.values():
            yield from _nodes(value)
    elif isinstance(plan, list):
        for item in plan:
            yield from _nodes(item)


def sequential_scans(plan: Any, table: str) -> list[dict[str, Any]]:
    """The nodes of ``plan`` that read ``table`` sequentially."""
    return [
        node
        for node in _nodes(plan)
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == table
    ]


def counts_every_row(plan: Any, table: str) -> bool:
    """Whether ``plan`` is an exempt count: the whole table's.

    The total of an unfiltered list (an admin's, capped or not) reads every row or the
    cap's first rows whichever way it goes, an index only scan included: no index makes
    it cheaper, so the check allows that one sequential scan. A filtered count, capped
    or not, is exempt only through ``counts_most_rows``: its filter must have an index
    (docs/list-indexes.md, docs/pagination.md).
    """
    top = plan[0]["Plan"]
    while top["Node Type"] == "Limit":
        top = top["Plans"][0]
    if top["Node Type"] != "Aggregate":
        return False
    scans = sequential_scans(plan, table)
    return all("Filter" not in s for s in scans)


def counts_most_rows(database: PlanDatabase, sql: str, parameters: Any, table: str) -> bool:
    """Whether ``sql`` counts rows an index finds but most of the table matches.

    A count whose filter keeps most rows (every published post) is cheaper read from
    the table than through an index: PostgreSQL plans it so. Asked again with sequential
    scans off, it must find an index plan (the filter has its index), or this is no
    exemption (docs/list-indexes.md).
    """
    plan = database.explain(sql, parameters, seqscan=False)
    top = plan[0]["Plan"]
    while top["Node Type"] in ("Limit", "Gather"):
        top = top["Plans"][0]
    return top["Node Type"] == "Aggregate" and not sequential_scans(plan, table)


def outline(plan: Any) -> str:
    """The plan's nodes, one a line, indented: type, relation, index, conditions."""
    lines = []

    def walk(node: dict[str, Any], depth: int) -> None:
        parts = [node.get("Node Type", "?")]
        for key, label in (("Relation Name", "on"), ("Index Name", "using")):
            if key in node:
                parts.append(f"{label} {node[key]}")
        for key in ("Index Cond", "Recheck Cond", "Filter", "Sort Key"):
            if key in node:
                parts.append(f"{key}: {node[key]}")
        lines.append("  " * depth + " ".join(map(str, parts)))
        for child in node.get("Plans", []):
            walk(child, depth + 1)

    for top in plan:
        walk(top["Plan"], 0)
    return "\n".join(lines)


def _reads(sql: str, table: str) -> bool:
    text = sql.lower()
    return text.lstrip().startswith("select") and (
        f" {table} " in f" {text} ".replace('"', " ").replace("\n", " ")
    )


def _user_id(client: Any, headers: Headers) -> int:
    response = client.get("/users/me", headers=headers)
    assert response.status_code == 200, response.text
    result: int = response.json()["id"]
    return result


def check_lists(
    client: Any, database: PlanDatabase, headers_for: Callable[..., Headers]
) -> list[str]:
    """Seed, then plan every documented list; return the ones that scan their main table.

    Each finding names the role and path and shows the plan. Also returns (in the same
    list, prefixed "no query") a path whose call ran no query on the table, since a
    check that explained nothing would prove nothing.
    """
    users = [headers_for() for _ in range(SPEC["users"])]
    headers = {"user": users[0], "admin": headers_for("admin")}
    ids = [_user_id(client, h) for h in users]
    me = str(ids[0])
    array = "ARRAY[" + ", ".join(map(str, ids)) + "]"
    for statement in SPEC["seed"]:
        database.execute(statement.replace("{users}", array).replace("{me}", me))
    database.execute("ANALYZE")
    values = {
        name: str(database.execute(sql.replace("{me}", me))) for name, sql in SPEC["values"].items()
    }
    findings = []
    for table, paths in SPEC["lists"].items():
        for path in paths:
            for name, value in values.items():
                path = path.replace("{" + name + "}", value)
            for role in SPEC["as"]:
                with database.capture() as statements:
                    response = client.get(path, headers=headers[role])
                assert response.status_code == 200, f"{role} {path}: {response.text}"
                findings.extend(_plan(database, table, f"{role} {path}", statements))
    return findings


def _plan(
    database: PlanDatabase, table: str, call: str, statements: list[tuple[str, Any]]
) -> list[str]:
    planned = [(sql, p) for sql, p in statements if _reads(sql, table)]
    if not planned:
        return [f"no query on {table}: {call}"]
    findings = []
    for sql, parameters in planned:
        plan = database.explain(sql, parameters)
        if (
            sequential_scans(plan, table)
            and not counts_every_row(plan, table)
            and not counts_most_rows(database, sql, parameters, table)
        ):
            findings.append(f"Seq Scan on {table}: {call}\n{sql}\n{outline(plan)}")
    return findings
