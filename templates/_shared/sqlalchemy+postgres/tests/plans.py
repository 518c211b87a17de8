"""The EXPLAIN test's view of a SQLAlchemy database (see tests/list_plans.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, text


class PlanDatabase:
    """Runs seed SQL, captures the app's statements, explains them with their parameters."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def execute(self, sql: str) -> Any:
        """Run ``sql`` in a transaction of its own; the first value it returns, if any."""
        with self.engine.begin() as connection:
            result = connection.execute(text(sql))
            return result.scalar() if result.returns_rows else None

    @contextmanager
    def capture(self) -> Iterator[list[tuple[str, Any]]]:
        """The statements the engine sends to the driver meanwhile, as the driver gets them."""
        statements: list[tuple[str, Any]] = []

        def record(*args: Any) -> None:
            # (connection, cursor, statement, parameters, context, executemany)
            statements.append((args[2], args[3]))

        event.listen(self.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(self.engine, "before_cursor_execute", record)

    def explain(self, sql: str, parameters: Any, seqscan: bool = True) -> Any:
        """PostgreSQL's plan of a captured statement, with the same parameters."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f"SET enable_seqscan = {'on' if seqscan else 'off'}")
            try:
                plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}", parameters)
                return plan.scalar()
            finally:
                connection.exec_driver_sql("RESET enable_seqscan")


def plan_database(db: Any) -> PlanDatabase:
    """The plan view of the tests' ``db`` fixture (the app's Database)."""
    return PlanDatabase(db.engine)
