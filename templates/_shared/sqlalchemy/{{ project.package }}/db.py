"""The database: engine, sessions, the declarative base and a UTC timestamp type."""

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    CursorResult,
    DateTime,
    Engine,
    Index,
    MetaData,
    create_engine,
    event,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.types import TypeDecorator

# Named constraints, so that migrations can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def only_on(dialect: str) -> dict[str, str]:
    """The ``info`` of an index made on one database only (with ``.ddl_if(dialect=...)``).

    ``for_autogenerate`` reads it: Alembic does not expect that index elsewhere.
    """
    return {"only_on": dialect}


def for_autogenerate(dialect: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` on ``dialect``: leaves out the other databases' indexes."""

    def include(item: Any, _name: Any, type_: str, _reflected: bool, _compare_to: Any) -> bool:
        return type_ != "index" or item.info.get("only_on", dialect) == dialect

    return include


def trigram_indexes(table: str, *columns: str) -> tuple[Index, ...]:
    """GIN trigram indexes of ``lower(column)``, on PostgreSQL only, for a search ``q``.

    They serve ``lower(column) LIKE '%...%'`` (a substring of three characters or more)
    as the services write it (docs/list-indexes.md). They need the pg_trgm extension:
    the migration that makes them makes it, and so does ``create_all`` (``_pg_trgm``).
    """
    return tuple(
        Index(
            f"ix_{table}_{column}_trgm",
            func.lower(literal_column(column)).label(f"lower_{column}"),
            postgresql_using="gin",
            postgresql_ops={f"lower_{column}": "gin_trgm_ops"},
            info={**only_on("postgresql"), "pg_trgm": "yes"},
        ).ddl_if(dialect="postgresql")
        for column in columns
    )


def create_trigram_indexes(table: str, *columns: str) -> None:
    """In a migration on PostgreSQL: pg_trgm and the indexes ``trigram_indexes`` declares."""
    from alembic import op

    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in columns:
        op.create_index(
            f"ix_{table}_{column}_trgm",
            table,
            [text(f"lower({column}) gin_trgm_ops")],
            postgresql_using="gin",
        )


def drop_trigram_indexes(table: str, *columns: str) -> None:
    """In a migration on PostgreSQL: drop what ``create_trigram_indexes`` made, last first."""
    from alembic import op

    for column in reversed(columns):
        op.drop_index(f"ix_{table}_{column}_trgm", table_name=table)


@event.listens_for(Base.metadata, "before_create")
def _pg_trgm(metadata: MetaData, connection: Connection, **_: Any) -> None:
    indexes = (index for table in metadata.tables.values() for index in table.indexes)
    if connection.dialect.name == "postgresql" and any("pg_trgm" in i.info for i in indexes):
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def rows_matched(session: Session, statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE in ``session``; how many rows it matched."""
    # Such a statement's result is a CursorResult, which has the count; the type of
    # Session.execute says only Result.
    return cast(CursorResult[Any], session.execute(statement)).rowcount


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    SQLite and MySQL keep no time zone, so values are stored as naive UTC and
    given their zone back on the way out. MySQL keeps microseconds only when asked.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "mysql":
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Connections each process keeps open (DB_POOL_SIZE); see ``create_db_engine``.
DEFAULT_POOL_SIZE = 10
#: A pooled connection left unused longer than this (seconds) is checked before use.
IDLE_CHECK_SECONDS = 1.0


def create_db_engine(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout.

    The pool holds at most ``pool_size`` connections (no overflow), so a process never
    opens more than that: WEB_CONCURRENCY x DB_POOL_SIZE bounds what the database sees.
    A SQLite file has no pool: each session opens it.

    Lost connections (a database restart, a proxy's idle timeout): a connection that sat
    unused for more than IDLE_CHECK_SECONDS is checked with a ping before it is handed
    out, and replaced if it is gone (``_check_idle_connections``); one in steady use is
    not, so a busy server pays no extra round trip per request (``pool_pre_ping`` pings
    at every checkout). A query that still meets a lost connection fails, and SQLAlchemy
    then replaces every connection opened before it, so the next requests get live ones.
    The most recently used connections are handed out first (LIFO), so under light load
    the same few stay warm and the rest go idle, to be checked when needed again.
    """
    options: dict[str, Any] = {}
    if url.startswith("mysql"):
        options["pool_recycle"] = 3600  # before MySQL's wait_timeout closes idle connections
        # READ COMMITTED, as on PostgreSQL (and Django's default on MySQL): a statement
        # sees what others committed before it, and a search locks no gaps (under
        # REPEATABLE READ, writers that looked for the same missing row deadlock on the
        # gap when they insert it).
        options["isolation_level"] = "READ COMMITTED"
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False}
    if url in {"sqlite://", "sqlite:///:memory:"}:
        # One shared connection, or each session would see its own empty database.
        options["poolclass"] = StaticPool
    elif url.startswith("sqlite"):
        # A connection per session, as Django opens one per request: opening the file
        # costs microseconds, and every request works on the file at DATABASE_URL. One
        # replaced (a backup restored) or gone is seen at once, where a pooled handle
        # would go on with the old file until a restart.
        options["poolclass"] = NullPool
    else:
        options.update(pool_size=pool_size, max_overflow=0, pool_use_lifo=True)
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    else:
        _check_idle_connections(engine)
    return engine


def _check_idle_connections(engine: Engine) -> None:
    """Ping a connection that sat unused for a while before it is handed out.

    A lost one makes the checkout raise DisconnectionError: the pool then opens a new
    one in its place, and replaces every other connection opened before (a lost idle
    connection most often means the database restarted).
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def note_idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since <= IDLE_CHECK_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            lost = DisconnectionError(f"a pooled connection was lost while idle: {exc}")
            lost.invalidate_pool = True
            raise lost from exc


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class Database:
    """An engine and its session factory; one per application."""

    def __init__(self, url: str, *, pool_size: int = DEFAULT_POOL_SIZE):
        self.engine = create_db_engine(url, pool_size)
        #: How many sessions may hold a connection at once without waiting for one.
        self.pool_size = pool_size
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """Open a new session; close it when done (use it as a context manager)."""
        return self.sessions()

    def create_all(self) -> None:
        """Create every table (tests); real databases are migrated with Alembic."""
        from . import models  # noqa: F401  (registers every model on Base.metadata)

        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
