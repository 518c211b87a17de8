"""GET throughput of a cached endpoint with and without the feature cache, in one run.

Usage: python bench/bench_cache.py [--rounds N] [--duration S] [--connections N]
       [--posts N] [--workers N] [--json]

What it does:
  1. generates blog-api on FastAPI and PostgreSQL twice, without and with
     `--feature cache`, installs each with its own setup command, creates its database,
     migrates it and creates its admin, and starts it with its real production server
     command and --workers worker processes (the cached one on this machine's Redis,
     SCAFFOLD_REDIS_URL or redis://127.0.0.1:6379/0, under keys of this run);
  2. seeds --posts published posts on each through the API (the admin writes them);
  3. drives anonymous `GET /posts` (the public list, one page) with wrk on loopback,
     --connections connections for --duration seconds, both services at each of --rounds
     rounds, their order rotated;
  4. prints req/s, p50 and p99 (medians of the rounds) and the server's CPU time per
     request of each, and the ratio cached / uncached; with the feature, every answer of
     the load is checked to be a hit first (X-Cache).

Needs: wrk (Debian: `apt-get install wrk`), psql, uv, Redis, and the PostgreSQL server of
the toolkit's catalog (127.0.0.1:5432, user postgres). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib import request as urlrequest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _project
from bench_services import ROOT, http, measured, progress, rotated, summarize

sys.path.insert(0, str(ROOT))

PATH = "/posts?limit=20"
NAMES = ("uncached", "cached")


@contextmanager
def served(name: str, work: Path, workers: int, posts: int) -> Iterator[tuple[str, int]]:
    """blog-api (FastAPI, PostgreSQL), with the feature cache if ``name`` says so."""
    from toolkit._verify import REDIS_DEFAULT, REDIS_ENV

    features = ["cache"] if name == "cached" else []
    settings = {"ACCESS_LOG": "false"}
    if features:
        settings["REDIS_URL"] = os.environ.get(REDIS_ENV, REDIS_DEFAULT)
        settings["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(6)}"
    with _project.served(
        "blog-api",
        "fastapi",
        f"bench-{name}",
        work,
        label=name,
        features=features,
        workers=workers,
        settings=settings,
        admin=True,
    ) as service:
        env = service.env
        admin = {"email": env["FIRST_ADMIN_EMAIL"], "password": env["FIRST_ADMIN_PASSWORD"]}
        token = http("POST", f"{service.base}/auth/login", admin)["access_token"]
        for number in range(posts):
            post = {
                "title": f"Post {number}",
                "body": "A seeded post. " * 40,
                "status": "published",
                "tags": [f"tag{number % 7}", "bench"],
            }
            http("POST", f"{service.base}/posts", post, token=token)
        yield service.base, service.pid


def x_cache(url: str) -> str:
    with urlrequest.urlopen(url, timeout=10) as response:
        return str(response.headers.get("X-Cache", ""))


def wrk(url: str, pid: int, args: argparse.Namespace) -> dict[str, float]:
    argv = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration:g}s"]
    return measured([*argv, "--latency", url], pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    load_before = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in NAMES}
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder, ExitStack() as stack:
        services = {
            name: stack.enter_context(served(name, Path(folder), args.workers, args.posts))
            for name in NAMES
        }
        cached_url = services["cached"][0] + PATH
        x_cache(cached_url)  # the first read stores the page
        if x_cache(cached_url) != "hit":
            raise SystemExit("the cached service does not answer GET /posts from its cache")
        for base, pid in services.values():  # warm every worker
            wrk(base + PATH, pid, argparse.Namespace(**{**vars(args), "duration": 2}))
        for turn in range(args.rounds):
            order = rotated(list(NAMES), turn)
            progress(f"round {turn + 1}/{args.rounds}: {', '.join(order)}")
            for name in order:
                base, pid = services[name]
                samples[name].append(wrk(base + PATH, pid, args))
    results = {name: summarize(samples[name]) for name in NAMES}
    results["ratio"] = results["cached"]["rps"] / results["uncached"]["rps"]
    load_after = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"GET {PATH} of blog-api (FastAPI, PostgreSQL, {args.posts} published posts),")
    print(
        f"{args.workers} workers, wrk -c{args.connections} -t{args.threads} "
        f"{args.duration:g} s x {args.rounds} rounds (medians); load {load_before} -> {load_after}"
    )
    print(f"{'':10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms/req':>11} {'failed':>7}")
    for name in NAMES:
        r = results[name]
        print(
            f"{name:10} {r['rps']:9.0f} {1000 * r['p50']:8.2f} {1000 * r['p99']:8.2f} "
            f"{r['cpu_ms']:11.2f} {r['failed']:7.0f}"
        )
    print(f"ratio cached / uncached: {results['ratio']:.2f}x req/s")


if __name__ == "__main__":
    main()
