"""Admission: a request gets a database session only when a connection is sure to be free.

FastAPI runs each sync dependency and the sync handler in separate calls to one
thread pool (AnyIO's, 40 threads). A request holds its pooled connection from its
first query (the bearer token's user) until its session closes, including the time
its handler waits for a thread. Without a limit, a burst larger than the pool and the
threads together deadlocks: every thread waits in the pool for a connection, and every
connection belongs to a request whose handler waits for a thread. Only the pool's
timeout (30 s) broke that, with 500s.

So a request first waits here, on the event loop, holding neither a thread nor a
connection, until fewer than ``DB_POOL_SIZE`` requests of this process hold a session.
Checking out a connection then never waits, and every admitted request gets its
threads in turn: a burst queues, it does not fail.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from sqlalchemy.orm import Session

from ..db import Database

# One semaphore per database and event loop (a test client runs a loop of its own).
_turns: RunVar["WeakKeyDictionary[Database, anyio.Semaphore]"] = RunVar("database_turns")


def _semaphore(database: Database) -> anyio.Semaphore:
    semaphores = _turns.get(None)
    if semaphores is None:
        semaphores = WeakKeyDictionary()
        _turns.set(semaphores)
    semaphore = semaphores.get(database)
    if semaphore is None:
        semaphore = semaphores[database] = anyio.Semaphore(database.pool_size)
    return semaphore


@asynccontextmanager
async def admitted(database: Database) -> AsyncIterator[Session]:
    """Wait for a turn, then give a session; close it and end the turn afterwards."""
    async with _semaphore(database):
        session = database.session()
        try:
            yield session
        finally:
            # Closing gives the connection back (a rollback on the wire): in a thread,
            # with a limiter of its own so that it never queues behind other requests,
            # and shielded so that a cancelled request still returns its connection.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(session.close, limiter=anyio.CapacityLimiter(1))
