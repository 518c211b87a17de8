"""Speed of the generated services against full-stack-fastapi-template's backend, in one run.

Usage: python bench/bench_services.py --reference PATH [--frameworks fastapi,flask,django,express]
       [--rounds N] [--duration S] [--connections N] [--tasks N] [--workers N]
       [--soak S] [--json]

What it does:
  1. generates task-api on each framework on PostgreSQL (`scaffold new ... -d postgres`),
     installs each with its own setup command, creates its database and migrates it, and
     starts it with its real production server command (the one its Dockerfile runs) and
     --workers worker processes;
  2. installs the reference, full-stack-fastapi-template's backend (PATH is a checkout of
     the repository, or its backend folder; it is copied to a scratch folder, never into
     this repository), migrates it and starts it with its own production command
     (`fastapi run --workers N`). Where the reference needs a newer Python than this one,
     the copy is patched as little as possible, and every patch is printed;
  3. seeds the same data on each: one user (signed up through the API), a bearer token
     from its login, one task (item) created through the API and --tasks - 1 copies of it
     made by one INSERT ... SELECT on the database;
  4. drives load with wrk on loopback, --connections connections for --duration seconds:
     GET the list (limit=50) and POST a create, the services' and endpoints' order rotated
     at each of --rounds rounds;
  5. prints, per service and endpoint: req/s (median of the rounds), p50/p99 latency
     (medians), the server's CPU time per request (user + system of the server's processes,
     from /proc), the resident memory per worker process, and the ratio of each to the
     reference's. The machine's load average is printed before and after;
  6. soaks each service (--soak seconds of list and create in turn, 60 by default, 0 to
     skip), reading its memory per worker every second, and prints the growth from the
     first third of the readings to the last (medians: a garbage collector's sawtooth is
     no trend), with the lowest and highest reading: a leak is a level that keeps rising.

Needs: wrk (Debian: `apt-get install wrk`), psql, uv, and the PostgreSQL server of the
toolkit's catalog (127.0.0.1:5432, user postgres). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib import request as urlrequest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _proc
import _project
from _project import free_port, progress, psql, run, start, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAMEWORKS = ("fastapi", "flask", "django", "express")
REFERENCE = "reference"
PAGE = 50
EMAIL = "bench@example.com"
PASSWORD = "bench-password-1234"

# ---------------------------------------------------------------- pure helpers

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def parse_duration(text: str) -> float:
    """Seconds from one of wrk's durations ("812.00us", "3.21ms", "1.02s")."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, float]:
    """The figures of one `wrk --latency` run: requests, req/s, p50, p99, errors."""
    figures: dict[str, float] = {"errors": 0.0, "non_2xx": 0.0}
    for line in output.splitlines():
        line = line.strip()
        if match := re.match(r"(\d+) requests in", line):
            figures["requests"] = float(match.group(1))
        elif line.startswith("Requests/sec:"):
            figures["rps"] = float(line.split()[1])
        elif match := re.match(r"(50|99)(?:\.000)?%\s+(\S+)", line):
            figures[f"p{match.group(1)}"] = parse_duration(match.group(2))
        elif line.startswith("Non-2xx or 3xx responses:"):
            figures["non_2xx"] = float(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            figures["errors"] = float(sum(int(n) for n in re.findall(r"\d+", line)))
    missing = {"requests", "rps", "p50", "p99"} - figures.keys()
    if missing:
        raise ValueError(f"wrk printed no {', '.join(sorted(missing))}:\n{output}")
    return figures


def rotated(items: Sequence[str], turn: int) -> list[str]:
    """``items`` started at position ``turn`` (each round starts with another one)."""
    if not items:
        return []
    start = turn % len(items)
    return [*items[start:], *items[:start]]


def ratio(value: float, reference: float) -> float:
    return value / reference if reference else float("nan")


def summarize(samples: list[dict[str, float]]) -> dict[str, float]:
    """One service's endpoint over the rounds: medians, and CPU per request over all."""
    requests = sum(s["requests"] for s in samples)
    return {
        "rps": statistics.median(s["rps"] for s in samples),
        "p50": statistics.median(s["p50"] for s in samples),
        "p99": statistics.median(s["p99"] for s in samples),
        "cpu_ms": 1000 * sum(s["cpu"] for s in samples) / requests if requests else 0.0,
        "requests": requests,
        "failed": sum(s["errors"] + s["non_2xx"] for s in samples),
    }


def seed_sql(table: str, columns: dict[str, str], count: int) -> str:
    """An INSERT that copies the table's one row ``count`` times (ids made by the database).

    ``columns`` maps each column to its PostgreSQL type. An integer id is left to its
    sequence, a uuid id is drawn; titles are numbered and timestamps spread a second
    apart, so that every sort has distinct keys.
    """
    names, values = [], []
    for name, kind in columns.items():
        if name == "id":
            if kind != "uuid":
                continue
            value = "gen_random_uuid()"
        elif name == "title":
            value = "'task ' || g"
        elif kind.startswith("timestamp"):
            value = f"{name} - g * interval '1 second'"
        else:
            value = name
        names.append(f'"{name}"')
        values.append(value if value != name else f'"{name}"')
    return (
        f'INSERT INTO "{table}" ({", ".join(names)}) '
        f'SELECT {", ".join(values)} FROM "{table}", generate_series(1, {count}) AS g'
    )


# ---------------------------------------------------------------- processes


def worker_rss_mb(pid: int, workers: int) -> float:
    """Mean resident memory of the ``workers`` largest processes under ``pid``, in MB."""
    largest = sorted(_proc.rss_mb(_proc.tree(pid)[1:]), reverse=True)[:workers]
    return statistics.mean(largest) if largest else 0.0


def http(
    method: str, url: str, body: dict | None = None, *, token: str | None = None, form: bool = False
) -> dict:
    headers = {}
    data = None
    if body is not None:
        if form:
            from urllib.parse import urlencode

            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with urlrequest.urlopen(urlrequest.Request(url, data, headers, method=method), timeout=30) as r:
        return json.loads(r.read() or b"null")


def seed(database: str, table: str, count: int) -> None:
    rows = psql(
        database,
        "SELECT column_name, data_type FROM information_schema.columns "
        f"WHERE table_name = '{table}' AND table_schema = 'public' ORDER BY ordinal_position",
    )
    columns = dict(line.split("|", 1) for line in rows.splitlines() if line)
    if count > 0:
        psql(database, seed_sql(table, columns, count))
    psql(database, f'ANALYZE "{table}"')


def table_with(database: str, title: str) -> str:
    """The table that holds the row titled ``title`` (tasks, tasks_task, item...)."""
    tables = psql(
        database,
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'title' "
        "AND table_schema = 'public'",
    ).split()
    for table in tables:
        if (
            psql(database, f"SELECT count(*) FROM \"{table}\" WHERE title = '{title}'").strip()
            == "1"
        ):
            return table
    raise RuntimeError(f"no table of {database} holds the seeded row")


# ---------------------------------------------------------------- services


@dataclass
class Service:
    """One running service: where to send the load, and what to send."""

    name: str
    pid: int
    database: str
    list_url: str
    create_url: str
    create_body: dict
    token: str = ""
    notes: list[str] = field(default_factory=list)


@contextmanager
def generated(framework: str, work: Path, workers: int, tasks: int) -> Iterator[Service]:
    """task-api on ``framework`` and PostgreSQL: generated, installed, served, seeded."""
    with _project.served(
        "task-api", framework, f"bench-{framework}", work, label=framework, workers=workers
    ) as service:
        base = service.base
        http("POST", f"{base}/auth/register", {"email": EMAIL, "password": PASSWORD})
        token = http("POST", f"{base}/auth/login", {"email": EMAIL, "password": PASSWORD})[
            "access_token"
        ]
        http(
            "POST",
            f"{base}/tasks",
            {"title": "seed", "description": "a seeded task"},
            token=token,
        )
        seed(service.database, table_with(service.database, "seed"), tasks - 1)
        yield Service(
            framework,
            service.pid,
            service.database,
            f"{base}/tasks?limit={PAGE}",
            f"{base}/tasks",
            {"title": "bench", "description": "made by wrk"},
            token,
            [f"served by: {service.commands['serve']}"],
        )


def patch_reference(backend: Path) -> list[str]:
    """Let the reference run on this Python; return what was changed (as little as can be).

    Each patch applies only where the pattern is there, so a checkout that already runs
    here is left as it is.
    """
    patched = []
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    pyproject = backend / "pyproject.toml"
    text = pyproject.read_text()
    new = re.sub(r'requires-python = "[^"]*"', f'requires-python = ">={version}"', text)
    if new != text:
        pyproject.write_text(new)
        patched.append(f"pyproject.toml: requires-python relaxed to >={version}")
    if sys.version_info < (3, 14):
        for source in sorted((backend / "app").rglob("*.py")):
            text = source.read_text()
            # PEP 758 (3.14): `except A, B:` without parentheses.
            new = re.sub(r"except ([\w.]+(?:, [\w.]+)+):", r"except (\1):", text)
            # PEP 649 (3.14): annotations evaluated lazily, so a model can name a class
            # defined below it; before 3.14 that name must be a string.
            if source.name == "models.py":
                new = re.sub(r"list\[(\w+)\] = Relationship", r'list["\1"] = Relationship', new)
            if new != text:
                source.write_text(new)
                patched.append(
                    f"{source.relative_to(backend)}: Python 3.14 syntax spelled for this Python"
                )
    frontend = backend / "app" / "frontend"
    if "app.frontend(" in (backend / "app" / "main.py").read_text() and not frontend.exists():
        frontend.mkdir()
        patched.append("app/frontend: an empty folder for the built frontend the app serves")
    return patched


@contextmanager
def reference(path: Path, work: Path, workers: int, tasks: int) -> Iterator[Service]:
    """full-stack-fastapi-template's backend: installed, served with `fastapi run`, seeded."""
    from toolkit._verify import _uv

    source = path / "backend" if (path / "backend").is_dir() else path
    backend = work / "reference"
    shutil.copytree(source, backend, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    notes = [f"patched: {line}" for line in patch_reference(backend)]
    uv = _uv()
    if uv is None:
        raise RuntimeError("the bench needs uv")
    database = "bench_reference"
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONHOME"}}
    env.update(
        PATH=f"{backend / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        SECRET_KEY=os.urandom(24).hex(),
        PROJECT_NAME="reference",
        DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}",
        FIRST_SUPERUSER="admin@example.com",
        FIRST_SUPERUSER_PASSWORD=os.urandom(12).hex(),
        ENVIRONMENT="production",
    )
    progress("reference: setup, database, migrate")
    run(
        f"{uv} venv -q --python {sys.executable} .venv && {uv} pip install -q "
        "--python .venv/bin/python -e .",
        backend,
        env,
        "reference setup",
    )
    psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {database}")
    try:
        run("alembic upgrade head && python app/initial_data.py", backend, env, "reference migrate")
        port = free_port()
        command = f"fastapi run --workers {workers} --port {port} app/main.py"
        process = start(command, backend, env, work / "reference.log")
        try:
            api = f"http://127.0.0.1:{port}/api/v1"
            wait_healthy(f"{api}/utils/health-check/", process)
            http("POST", f"{api}/users/signup", {"email": EMAIL, "password": PASSWORD})
            token = http(
                "POST",
                f"{api}/login/access-token",
                {"username": EMAIL, "password": PASSWORD},
                form=True,
            )["access_token"]
            http(
                "POST",
                f"{api}/items/",
                {"title": "seed", "description": "a seeded task"},
                token=token,
            )
            seed(database, table_with(database, "seed"), tasks - 1)
            yield Service(
                REFERENCE,
                process.pid,
                database,
                f"{api}/items/?limit={PAGE}",
                f"{api}/items/",
                {"title": "bench", "description": "made by wrk"},
                token,
                [f"served by: {command}", *notes],
            )
        finally:
            stop(process)
    finally:
        psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


# ---------------------------------------------------------------- load


def wrk_argv(
    service: Service, endpoint: str, duration: float, connections: int, threads: int, scratch: Path
) -> list[str]:
    """The wrk command of one run on one endpoint."""
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--latency",
        "-H",
        f"Authorization: Bearer {service.token}",
    ]
    if endpoint == "create":
        script = scratch / f"post-{service.name}.lua"
        body = json.dumps(service.create_body).replace("\\", "\\\\").replace('"', '\\"')
        script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        return [*argv, "-s", str(script), service.create_url]
    return [*argv, service.list_url]


def wrk(
    service: Service, endpoint: str, duration: float, connections: int, threads: int, scratch: Path
) -> dict[str, float]:
    """One wrk run on one endpoint; the server's CPU time over it is added as "cpu"."""
    return measured(
        wrk_argv(service, endpoint, duration, connections, threads, scratch), service.pid
    )


def measured(argv: list[str], pid: int) -> dict[str, float]:
    """Run wrk's ``argv``: its figures, and the CPU time of server ``pid`` over it as "cpu"."""
    before = _proc.cpu_seconds(pid)
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    figures = parse_wrk(done.stdout)
    figures["cpu"] = _proc.cpu_seconds(pid) - before
    return figures


def drive(services: list[Service], args: argparse.Namespace, scratch: Path) -> dict:
    endpoints = ["list", "create"]
    samples: dict[tuple[str, str], list[dict[str, float]]] = {}
    rss: dict[str, float] = {}
    for service in services:  # warm every worker's caches and connections
        for endpoint in endpoints:
            wrk(service, endpoint, 2, args.connections, args.threads, scratch)
    for turn in range(args.rounds):
        order = rotated([s.name for s in services], turn)
        progress(f"round {turn + 1}/{args.rounds}: {', '.join(order)}")
        for name in order:
            service = next(s for s in services if s.name == name)
            for endpoint in rotated(endpoints, turn):
                figures = wrk(
                    service, endpoint, args.duration, args.connections, args.threads, scratch
                )
                samples.setdefault((name, endpoint), []).append(figures)
            rss[name] = max(rss.get(name, 0.0), worker_rss_mb(service.pid, args.workers))
    results: dict = {}
    for service in services:
        results[service.name] = {
            endpoint: summarize(samples[(service.name, endpoint)]) for endpoint in endpoints
        }
        results[service.name]["rss_mb"] = rss[service.name]
        results[service.name]["notes"] = service.notes
    if args.soak > 0:
        for service in services:
            progress(f"soak: {service.name}, {args.soak:g} s")
            sizes = soak(service, args, scratch)
            results[service.name]["soak"] = {"rss_mb": sizes, **rss_trend(sizes)}
    return results


#: Seconds of load per wrk run of a soak (list and create take turns), and between two
#: memory readings: a garbage collector's sawtooth (Node's) needs many readings.
SOAK_STEP = 10.0
SOAK_READING = 1.0


def soak(service: Service, args: argparse.Namespace, scratch: Path) -> list[float]:
    """Load for --soak seconds, list and create in turn, reading the mean worker RSS every
    second: a leak shows as a trend, not as one peak."""
    sizes = []
    steps = max(3, round(args.soak / SOAK_STEP))
    for step in range(steps):
        endpoint = ("list", "create")[step % 2]
        argv = wrk_argv(
            service, endpoint, args.soak / steps, args.connections, args.threads, scratch
        )
        with subprocess.Popen(argv, stdout=subprocess.DEVNULL) as load:
            while load.poll() is None:
                time.sleep(SOAK_READING)
                sizes.append(worker_rss_mb(service.pid, args.workers))
        if load.returncode != 0:
            raise RuntimeError(f"wrk failed ({load.returncode}): {' '.join(argv)}")
    return sizes


def rss_trend(sizes: Sequence[float]) -> dict[str, float]:
    """The growth of a soak's memory readings: the median of the last third against the
    median of the first third (one early spike or late dip does not count)."""
    third = max(1, len(sizes) // 3)
    first = statistics.median(sizes[:third])
    last = statistics.median(sizes[-third:])
    return {"first_mb": first, "last_mb": last, "growth_pct": (last - first) / first * 100}


def report(results: dict, args: argparse.Namespace, load: tuple[str, str]) -> str:
    ref = results.get(REFERENCE)
    lines = [
        f"task-api on PostgreSQL, {args.workers} workers each, wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration:g}s, {args.rounds} rotated rounds, "
        f"{args.tasks} tasks seeded, list limit={PAGE}",
        f"load average before: {load[0]}; after: {load[1]}",
        "",
        f"{'service':<10}{'endpoint':<8}{'req/s':>9}{'x ref':>7}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'cpu ms/req':>11}{'x ref':>7}{'failed':>8}",
    ]
    for name, figures in results.items():
        for endpoint in ("list", "create"):
            f = figures[endpoint]
            r = ref[endpoint] if ref else None
            lines.append(
                f"{name:<10}{endpoint:<8}{f['rps']:>9.0f}"
                f"{ratio(f['rps'], r['rps']) if r else float('nan'):>7.2f}"
                f"{f['p50'] * 1000:>9.1f}{f['p99'] * 1000:>9.1f}{f['cpu_ms']:>11.2f}"
                f"{ratio(f['cpu_ms'], r['cpu_ms']) if r else float('nan'):>7.2f}"
                f"{f['failed']:>8.0f}"
            )
    lines.append("")
    lines.append(f"{'service':<10}{'RSS MB per worker (peak of rounds)':>36}{'x ref':>7}")
    for name, figures in results.items():
        ref_rss = ref["rss_mb"] if ref else float("nan")
        lines.append(
            f"{name:<10}{figures['rss_mb']:>36.1f}{ratio(figures['rss_mb'], ref_rss):>7.2f}"
        )
    if any("soak" in figures for figures in results.values()):
        lines.append("")
        lines.append(
            f"soak: {args.soak:g} s of wrk per service (list and create in turn), "
            "mean RSS per worker read every second; growth: median of the last third of the "
            "readings against the first third's"
        )
        lines.append(
            f"{'service':<10}{'first MB':>10}{'last MB':>10}{'growth':>9}"
            f"{'min MB':>9}{'max MB':>9}{'readings':>10}"
        )
        for name, figures in results.items():
            trend = figures["soak"]
            sizes = trend["rss_mb"]
            lines.append(
                f"{name:<10}{trend['first_mb']:>10.1f}{trend['last_mb']:>10.1f}"
                f"{trend['growth_pct']:>8.1f}%{min(sizes):>9.1f}{max(sizes):>9.1f}{len(sizes):>10}"
            )
    lines.append("")
    for name, figures in results.items():
        lines.extend(f"{name}: {note}" for note in figures["notes"])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help="a checkout of full-stack-fastapi-template")
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=15, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--tasks", type=int, default=1000, help="rows seeded per service")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument(
        "--soak", type=float, default=60, help="seconds of load per service for the memory trend"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("the bench needs wrk (Debian: apt-get install wrk)")
    frameworks = [f for f in args.frameworks.split(",") if f]
    unknown = set(frameworks) - set(FRAMEWORKS)
    if unknown:
        sys.exit(f"unknown frameworks: {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-services-"))
    try:
        with ExitStack() as stack:
            progress("starting the services")
            services = []
            if args.reference is not None:
                services.append(
                    stack.enter_context(
                        reference(args.reference.resolve(), work, args.workers, args.tasks)
                    )
                )
            for framework in frameworks:
                services.append(
                    stack.enter_context(generated(framework, work, args.workers, args.tasks))
                )
            before = Path("/proc/loadavg").read_text().split(" ")[:3]
            results = drive(services, args, work)
            after = Path("/proc/loadavg").read_text().split(" ")[:3]
        if args.json:
            print(json.dumps({"load": [before, after], "results": results}, indent=2))
        else:
            print(report(results, args, (" ".join(before), " ".join(after))))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
