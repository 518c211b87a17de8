"""The job queue (feature "queue"): Dramatiq on the Redis of ``REDIS_URL``.

A job is enqueued after the commit that wrote its outbox row, never before: the row is
the truth and the job only says "look at row N now". Enqueueing never fails a request:
when Redis does not answer, the job is left out (one warning, then Redis is left alone
for a few seconds, core/redis_client.py) and the worker's sweeper enqueues it later.

The worker (:func:`run_worker`) is one process: a Dramatiq worker with a few threads
consumes the queue, and the main thread runs the sweeper (at start, then every
``QUEUE_SWEEP_SECONDS``), which enqueues again what the queue lost, and keeps a
heartbeat file fresh for ``--health``. Jobs must bear being run twice: the sweeper
cannot know whether a job is still in the queue.

Keys live under ``QUEUE_PREFIX`` (Dramatiq's namespace): ``<prefix>:default`` is the
queue, ``<prefix>:default.DQ`` the retries waiting for their time, and
``<prefix>:default.XQ`` the dead-letter queue (message ids by time; their bodies in
``<prefix>:default.XQ.msgs``), kept for 7 days.
"""

import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

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
