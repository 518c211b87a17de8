"""Requests sent at the same instant: each from a thread and a warmed connection of its own.

A race is probabilistic, so the sequence suites repeat it and check after every trial
that what was ended stayed ended, whichever request the service served first.
"""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager

import httpx

Call = Callable[[httpx.Client], httpx.Response]
AtOnce = Callable[..., list[httpx.Response]]


@contextmanager
def racing(base_url: str, lanes: int = 2) -> Iterator[AtOnce]:
    """Yield ``at_once(*calls)``: sends each call on a lane of its own, released together.

    Each lane is a thread with a client whose connection is open already (``GET
    /health``), so that the barrier releases requests, not TCP handshakes; the lanes
    are kept for every trial of a test.
    """
    with ExitStack() as stack:
        clients = [
            stack.enter_context(httpx.Client(base_url=base_url, timeout=30)) for _ in range(lanes)
        ]
        for client in clients:
            client.get("/health")
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=lanes))

        def at_once(*calls: Call) -> list[httpx.Response]:
            assert len(calls) <= lanes, f"{len(calls)} calls on {lanes} lanes"
            barrier = threading.Barrier(len(calls))

            def run(client: httpx.Client, call: Call) -> httpx.Response:
                barrier.wait(timeout=30)
                return call(client)

            return list(pool.map(run, clients, calls))

        yield at_once
