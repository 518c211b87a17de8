"""Timestamps come back from PostgreSQL as Django's own loader gives them, through the
faster one (core/database.py) on each connection."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.postgres import types
from psycopg.pq import Format

pytestmark = pytest.mark.django_db

TIMESTAMPTZ = types["timestamptz"].oid


def read(text: str) -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [text])
        (value,) = cursor.fetchone()
    assert isinstance(value, datetime)
    return value


def test_each_connection_reads_timestamps_with_the_fast_loader() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
    assert issubclass(loader, BaseTzLoader)
    assert loader.__name__ == "Timestamps"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-07 16:01:02.123456+00", datetime(2026, 12, 7, 16, 1, 2, 123456, tzinfo=UTC)),
        ("2026-12-07 16:01:02+05:30", datetime(2026, 12, 7, 10, 31, 2, tzinfo=UTC)),
        ("0099-01-01 00:00:00.5+00", datetime(99, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_an_instant_in_the_connections_time_zone(text: str, expected: datetime) -> None:
    value = read(text)
    assert value == expected
    assert value.utcoffset() == timedelta(0)


def test_what_python_cannot_hold_is_refused_as_before() -> None:
    # A BC date is no ISO 8601 text: Django's own loader reads it, and refuses it.
    with pytest.raises(DataError):
        read("0044-03-15 12:00:00+00 BC")
