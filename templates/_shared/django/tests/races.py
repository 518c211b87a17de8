"""Run actions from many threads at once, each with its own database connection."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

ATTEMPTS = 12


def race(action: Callable[[], str], attempts: int = ATTEMPTS) -> list[str]:
    """Start ``action`` in ``attempts`` threads together; return what each one returned."""
    barrier = threading.Barrier(attempts)

    def attempt(_: int) -> str:
        barrier.wait()
        try:
            return action()
        finally:
            connections.close_all()  # the thread's own connections

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        return list(pool.map(attempt, range(attempts)))


def at_once(*actions: Callable[[], str]) -> list[str]:
    """Start each action in a thread of its own, all together; return what each returned."""
    barrier = threading.Barrier(len(actions))

    def attempt(action: Callable[[], str]) -> str:
        barrier.wait()
        try:
            return action()
        finally:
            connections.close_all()  # the thread's own connections

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(attempt, actions))
