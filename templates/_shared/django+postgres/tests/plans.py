"""The EXPLAIN test's view of Django's database (see tests/list_plans.py).

Everything runs on the test's connection, inside its transaction: the seeded rows
are the test's own and go with its rollback.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


class PlanDatabase:
    """Runs seed SQL, captures the app's statements, explains them with their parameters."""

    def execute(self, sql: str) -> Any:
        """Run ``sql``; the first value it returns, if any."""
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone() if cursor.description else None
            return row[0] if row else None

    @contextmanager
    def capture(self) -> Iterator[list[tuple[str, Any]]]:
        """The statements Django sends to the driver meanwhile, as the driver gets them."""
        statements: list[tuple[str, Any]] = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            yield statements

    def explain(self, sql: str, parameters: Any, seqscan: bool = True) -> Any:
        """PostgreSQL's plan of a captured statement, with the same parameters."""
        with connection.cursor() as cursor:
            cursor.execute(f"SET enable_seqscan = {'on' if seqscan else 'off'}")
            try:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", parameters)
                return cursor.fetchone()[0]
            finally:
                cursor.execute("RESET enable_seqscan")


def plan_database(db: Any) -> PlanDatabase:
    """The plan view of the test's database (``db``: pytest-django's, in a transaction)."""
    return PlanDatabase()
