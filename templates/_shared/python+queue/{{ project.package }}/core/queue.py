"""The job queue (feature "queue"): Dramatiq on the Redis of ``REDIS_URL``.

A job is enqueued after the commit that wrote its outbox row, never before: the row is
the truth and the job only says "look at row N now". Enqueueing never fails a request:
when Redis does not answer, the job is left out (one warning, then Redis is left alone
for a few seconds, core/redis_client.py) and the worker's sweeper enqueues it later.

The worker (:func:`worker_main`, then :func:`run_worker`) is one process: a Dramatiq
worker with a few threads consumes the queue, and the main thread runs the sweeper (at
start, then every ``QUEUE_SWEEP_SECONDS``), which enqueues again what the queue lost,
and keeps a heartbeat file fresh for ``--health``. Jobs must bear being run twice: the
sweeper cannot know whether a job is still in the queue.

An outbox job (:func:`declare_outbox_job`) attempts one row of an outbox; after the
attempt is recorded, :func:`retry_or_give_up` has the queue try it again when the row
is due again (:class:`dramatiq.Retry`), or stop after the last attempt (:class:`GaveUp`,
which Dramatiq does not retry: the job goes to the dead-letter queue).

Keys live under ``QUEUE_PREFIX`` (Dramatiq's namespace): ``<prefix>:default`` is the
queue, ``<prefix>:default.DQ`` the retries waiting for their time, and
``<prefix>:default.XQ`` the dead-letter queue (message ids by time; their bodies in
``<prefix>:default.XQ.msgs``), kept for 7 days.
"""

import argparse
import logging
import math
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, cast

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.errors import DramatiqError, QueueJoinTimeout

from .redis_client import FailOpenRedis

logger = logging.getLogger(__name__)

#: The namespace of the queue's keys when ``QUEUE_PREFIX`` is empty.
DEFAULT_PREFIX = "queue"
#: The one queue every job goes to.
QUEUE_NAME = "default"
#: Threads of the worker that run jobs.
WORKER_THREADS = 4
#: How often the worker touches its heartbeat file.
HEARTBEAT_SECONDS = 2.0
#: A heartbeat older than this is a worker that stopped or hangs (``--health`` fails).
HEARTBEAT_STALE_SECONDS = 30.0
#: How long ``--once`` waits for the queue to drain.
DRAIN_SECONDS = 60.0
#: A retry is enqueued this much after its row is due (clocks read apart).
RETRY_SLACK_SECONDS = 0.1
#: Errors of a job other than a failed attempt (the database away): retried this many
#: times with Dramatiq's backoff, then left to the sweeper.
MAX_ERROR_RETRIES = 5
#: The errors of Redis or of the broker on it.
QUEUE_ERRORS: tuple[type[Exception], ...] = (redis.RedisError, OSError, DramatiqError)


class JobQueue:
    """One process's queue: the broker its jobs are declared on, and a safe enqueue.

    Args:
        url: ``REDIS_URL``; empty: no queue (jobs are declared on a broker in memory and
            never enqueued; the worker refuses to start).
        prefix: ``QUEUE_PREFIX``, the namespace of the keys; empty: ``queue``.
    """

    def __init__(self, url: str, prefix: str):
        self.prefix = prefix or DEFAULT_PREFIX
        self.redis = FailOpenRedis(
            url, "jobs are not enqueued (the worker's sweeper enqueues them later)"
        )
        self.broker: dramatiq.Broker
        if self.redis.client is not None:
            self.broker = RedisBroker(  # type: ignore[no-untyped-call]
                client=self.redis.client, namespace=self.prefix
            )
        else:
            self.broker = StubBroker()

    @property
    def enabled(self) -> bool:
        """Whether jobs go to Redis (``REDIS_URL`` is set)."""
        return self.redis.enabled

    def enqueue(self, actor: dramatiq.Actor[Any, Any], *args: Any) -> bool:
        """Send a job; False when it could not be (no Redis, or Redis did not answer).

        Never raises: the caller's work is committed already, and the sweeper finds
        what was not enqueued.
        """
        if not self.enabled:
            return False

        def send(_client: redis.Redis) -> bool:
            try:
                actor.send(*args)
            except DramatiqError as exc:  # a broker error, as one of Redis
                raise redis.ConnectionError(str(exc)) from exc
            return True

        return self.redis.run(send) is not None

    def dead_letters(self) -> list[dramatiq.Message[Any]]:
        """The messages in the dead-letter queue, oldest first (an empty list without Redis)."""
        client = self.redis.client
        if client is None:
            return []
        key = f"{self.prefix}:{QUEUE_NAME}.XQ"
        ids = cast(list[bytes], client.zrange(key, 0, -1))
        bodies = cast(list[bytes | None], client.hmget(f"{key}.msgs", ids)) if ids else []
        return [dramatiq.Message.decode(body) for body in bodies if body is not None]

    def close(self) -> None:
        """Close the connections to Redis."""
        self.redis.close()


def heartbeat_path(program: str, prefix: str) -> Path:
    """The heartbeat file of the workers of ``program`` on the queue of ``prefix``."""
    name = f"{program}-{prefix or DEFAULT_PREFIX}.heartbeat".replace(os.sep, "_")
    return Path(tempfile.gettempdir()) / name


def healthy(path: Path, *, stale_seconds: float = HEARTBEAT_STALE_SECONDS) -> bool:
    """Whether the heartbeat at ``path`` is fresh (its worker runs and is not stuck)."""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    return age <= stale_seconds


class GaveUp(Exception):
    """An outbox row's last attempt failed: its job goes to the dead-letter queue."""


def retry_when(retries: int, exc: BaseException) -> bool:
    """Dramatiq's question after a job raised: try it again?"""
    if isinstance(exc, GaveUp):
        return False
    return isinstance(exc, dramatiq.Retry) or retries < MAX_ERROR_RETRIES


def declare_outbox_job(
    queue: JobQueue, name: str, run: Callable[[int], Any], lease: timedelta
) -> dramatiq.Actor[Any, Any]:
    """The job ``name`` on ``queue``'s broker: ``run(row_id)`` attempts one outbox row.

    A run is cut off after ``lease`` (how long a job holds its row); what it raises is
    retried as :func:`retry_when` says.
    """
    declare = dramatiq.actor(
        broker=queue.broker,
        actor_name=name,
        queue_name=QUEUE_NAME,
        retry_when=retry_when,
        # Time limits are milliseconds.
        time_limit=int(lease.total_seconds() * 1000),
    )
    return declare(run)


def retry_or_give_up(
    what: str,
    *,
    attempts: int,
    failed: bool,
    due_again: datetime | None,
    reason: str | None,
    clock: Callable[[], datetime],
) -> None:
    """After a recorded attempt of ``what`` (``"delivery 7"``): what the queue does next.

    Raises:
        GaveUp: ``failed``: the attempt was the last one (``attempts`` in all).
        dramatiq.Retry: The row is pending again: the job runs again once ``due_again``
            comes (never before: a job that comes early finds its row not due).
    """
    if failed:
        raise GaveUp(f"{what}: {attempts} attempts failed")
    if due_again is not None:
        wait = (due_again - clock()).total_seconds() + RETRY_SLACK_SECONDS
        raise dramatiq.Retry(f"{what}: {reason}", delay=max(math.ceil(wait * 1000), 0))


class Jobs(Protocol):
    """A kind's jobs as its worker runs them: the queue they are declared on, the sweeper."""

    @property
    def queue(self) -> JobQueue: ...

    def sweep(self) -> int:
        """Enqueue what the queue lost; how many jobs were."""
        ...


def worker_main(
    argv: list[str] | None,
    *,
    package: str | None,
    prefix: str,
    jobs: Callable[[], Jobs],
    sweep_seconds: float,
    stop_seconds: float,
    unavailable: tuple[type[Exception], ...] = (),
    reconnect: Callable[[], None] = lambda: None,
) -> int:
    """The main of ``python -m <package>.worker [--once | --health]``; its exit code.

    ``package`` is the worker module's ``__package__``. ``--health`` answers from the
    heartbeat of the worker of ``prefix`` (0 while it is fresh). Otherwise ``jobs()``
    makes the kind's jobs and :func:`run_worker` runs them with the other arguments
    (``--once``: sweep, drain the queue, stop); their queue is closed at the end.
    """
    parser = argparse.ArgumentParser(prog=f"python -m {package}.worker")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="sweep, drain the queue, then exit")
    mode.add_argument(
        "--health", action="store_true", help="exit 0 if a worker runs (its heartbeat is fresh)"
    )
    args = parser.parse_args(argv)
    heartbeat = heartbeat_path(f"{package}-worker", prefix)
    if args.health:
        return 0 if healthy(heartbeat) else 1
    worker_jobs = jobs()
    try:
        return run_worker(
            worker_jobs.queue,
            sweep=worker_jobs.sweep,
            sweep_seconds=sweep_seconds,
            heartbeat=heartbeat,
            once=args.once,
            stop_seconds=stop_seconds,
            unavailable=unavailable,
            reconnect=reconnect,
        )
    finally:
        worker_jobs.queue.close()


def run_worker(
    queue: JobQueue,
    *,
    sweep: Callable[[], int],
    sweep_seconds: float,
    heartbeat: Path,
    once: bool = False,
    stop_seconds: float = 30.0,
    unavailable: tuple[type[Exception], ...] = (),
    reconnect: Callable[[], None] = lambda: None,
    threads: int = WORKER_THREADS,
) -> int:
    """Consume the queue and sweep until SIGTERM or Ctrl-C; return the exit code.

    Args:
        queue: The queue, with the jobs declared on its broker.
        sweep: Enqueues what the queue lost; returns how many jobs it enqueued.
        sweep_seconds: The wait between two sweeps.
        heartbeat: The file kept fresh while the worker runs (removed when it stops).
        once: One sweep, wait until the queue is empty (at most :data:`DRAIN_SECONDS`),
            then stop.
        stop_seconds: How long a stop waits for the jobs that run.
        unavailable: The database's errors: logged, and the sweep is tried again later.
        reconnect: Called after such an error, to drop broken connections.
        threads: How many jobs run at once.
    """
    if not queue.enabled:
        logger.error("REDIS_URL is empty: the worker has no queue to consume")
        return 2
    stopping = threading.Event()

    def stop(_signal: int, _frame: Any) -> None:
        stopping.set()

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    worker = dramatiq.Worker(queue.broker, worker_threads=threads, worker_timeout=1000)
    worker.start()
    logger.info("queue worker started (%d threads, prefix %s)", threads, queue.prefix)
    next_sweep = 0.0
    try:
        while not stopping.is_set():
            if time.monotonic() >= next_sweep:
                _sweep_once(sweep, unavailable, reconnect)
                next_sweep = time.monotonic() + sweep_seconds
            heartbeat.touch()
            if once:
                _drain(queue)
                break
            stopping.wait(min(HEARTBEAT_SECONDS, max(next_sweep - time.monotonic(), 0.0)))
    finally:
        heartbeat.unlink(missing_ok=True)
        worker.stop(timeout=int(stop_seconds * 1000))
        for number, handler in previous.items():
            signal.signal(number, handler)
        logger.info("queue worker stopped")
    return 0


def _sweep_once(
    sweep: Callable[[], int],
    unavailable: tuple[type[Exception], ...],
    reconnect: Callable[[], None],
) -> None:
    try:
        enqueued = sweep()
    except unavailable as exc:
        # The database may be starting or not migrated yet: the next sweep tries again.
        logger.warning("sweep skipped, database unavailable: %s", str(exc).splitlines()[0])
        reconnect()
        return
    if enqueued:
        logger.info("sweep enqueued %d job(s) the queue did not hold", enqueued)


def _drain(queue: JobQueue) -> None:
    try:
        queue.broker.join(QUEUE_NAME, timeout=int(DRAIN_SECONDS * 1000))
    except QueueJoinTimeout:
        logger.warning("the queue did not drain within %.0f s", DRAIN_SECONDS)
    except QUEUE_ERRORS as exc:
        logger.warning("cannot wait for the queue: %s", exc)
