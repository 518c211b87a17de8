"""Speed of `scaffold serve`, side by side with `scaffold new` of the same spec, in one run.

Usage: python bench/bench_serve.py [--runs N] [--concurrent N] [--workers N] [--json]

What it measures (medians of N, each request on a fresh connection to loopback):
  new render    the one render() of task-api that a fresh process makes, as `scaffold
                new` does (imports done; templates from Jinja's bytecode cache)
  render        toolkit.render() of task-api (FastAPI, SQLite) in one warm process:
                the rendering that `scaffold new` does, without Python's start; also
                its CPU time ("render cpu")
  new           `scaffold new task-api` as a fresh process (render, write, git commit)
  new-no-git    `scaffold new task-api --no-git` as a fresh process
  zip ttfb      GET /starter.zip?kind=task-api: time to the answer's first byte (its
                status line and headers, sent once the project is rendered)
  zip           the same, the whole archive read
  tgz           GET /starter.tgz?kind=task-api, whole
  zip git       GET /starter.zip?kind=task-api&git=true, whole (written, committed, read)
  ... cpu       for each download, the server's CPU time per request (user + system
                of the supervisor and workers, from /proc): what a busy machine
                changes least
  metadata      GET /metadata (median and slowest)
  burst         N concurrent downloads, each of a different offered cell (kind x
                framework x database; features alternate), on loopback: every status,
                p50 / p99 / slowest, the whole burst's wall time, and the server's memory
                (resident set of the supervisor and its workers, before and at peak)

The toolkit is installed with its web extra into .bench/venv-serve as a user would
install it (a regular, byte-compiled install), refreshed on every run; the server runs
`scaffold serve` with its defaults but --workers.
Targets (issue 14): zip <= 1.5x new's render; /metadata < 20 ms; the burst all 200.
Also shown: zip against a warm render, the floor of a server that keeps its templates.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _proc
from bench_new import uv

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".bench" / "venv-serve"
BIN = VENV / "bin"
DEFAULT = "kind=task-api"


def install() -> None:
    if not (BIN / "python").exists():
        subprocess.run([uv(), "venv", "-q", "--python", sys.executable, str(VENV)], check=True)
    subprocess.run(
        [uv(), "pip", "install", "-q", "--python", str(BIN / "python"), "--compile-bytecode",
         "--reinstall-package", "scaffold-toolkit", f"{ROOT}[web]"],
        check=True,
    )  # fmt: skip


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, float, float, int]:
    """One request on a fresh connection: status, seconds to the first byte, to the end, size.

    The first byte is the status line's: the server sends it with the headers once the
    project is rendered, before the archive's first chunk is compressed.
    """
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path)
    response = connection.getresponse()
    ttfb = time.perf_counter() - started
    body = response.read()
    done = time.perf_counter() - started
    connection.close()
    return response.status, ttfb, done, len(body)


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    return sum(_proc.rss_mb(_proc.tree(pid)))


def render_in_process(runs: int) -> tuple[float, float]:
    """Median wall and CPU time of render() of the default project in one warm process."""
    program = (
        "import statistics, time\n"
        "from toolkit import load_catalog, render\n"
        "catalog = load_catalog(); spec = catalog.resolve('task-api')\n"
        "render(spec, catalog=catalog)\n"
        "wall, cpu = [], []\n"
        f"for _ in range({runs}):\n"
        "    t, c = time.perf_counter(), time.process_time(); render(spec, catalog=catalog)\n"
        "    wall.append(time.perf_counter() - t); cpu.append(time.process_time() - c)\n"
        "print(statistics.median(wall), statistics.median(cpu))\n"
    )
    done = subprocess.run(
        [str(BIN / "python"), "-c", program], capture_output=True, text=True, check=True
    )
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def render_as_new_does(runs: int) -> float:
    """Median time of the one render() a fresh process makes, as `scaffold new` does.

    Jinja2 and the toolkit are imported before the clock starts; the templates come
    from Jinja's bytecode cache on disk (warm), not from memory as in a server.
    """
    program = (
        "import time, jinja2\n"
        "from toolkit import load_catalog, render\n"
        "started = time.perf_counter()\n"
        "catalog = load_catalog(); render(catalog.resolve('task-api'), catalog=catalog)\n"
        "print(time.perf_counter() - started)\n"
    )
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [str(BIN / "python"), "-c", program], capture_output=True, text=True, check=True
        )
        samples.append(float(done.stdout))
    return statistics.median(samples)


def cells() -> list[str]:
    program = (
        "import json\nfrom toolkit import load_catalog\n"
        "print(json.dumps([[c.kind, c.framework, c.database] "
        "for c in load_catalog().combinations()]))"
    )
    done = subprocess.run(
        [str(BIN / "python"), "-c", program], capture_output=True, text=True, check=True
    )
    queries = []
    for n, (kind, framework, database) in enumerate(json.loads(done.stdout)):
        features = ["", "&without=ci", "&without=docker"][n % 3]
        queries.append(f"kind={kind}&name=p{n}&framework={framework}&database={database}{features}")
    return queries


def burst(port: int, server_pid: int, size: int) -> dict[str, float]:
    queries = cells()
    paths = [f"/starter.zip?{queries[n % len(queries)]}" for n in range(size)]
    results: list[tuple[int, float]] = []
    gate = threading.Barrier(size + 1)
    peak = [tree_rss_mb(server_pid)]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            peak.append(tree_rss_mb(server_pid))
            time.sleep(0.02)

    def one(path: str) -> None:
        gate.wait()
        try:
            status, _, seconds, _ = get(port, path)
        except OSError:
            status, seconds = 0, float("nan")
        results.append((status, seconds))

    threads = [threading.Thread(target=one, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    gate.wait()
    for thread in threads:
        thread.join(300)
    wall = time.perf_counter() - started
    sampling.set()
    sampler.join()
    times = sorted(seconds for _, seconds in results)
    ok = sum(1 for status, _ in results if status == 200)
    return {
        "burst requests": float(size),
        "burst 200": float(ok),
        "burst p50": statistics.median(times),
        "burst p99": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))],
        "burst slowest": times[-1],
        "burst wall": wall,
        "server MB before": peak[0],
        "server MB peak": max(peak),
    }


def bench(runs: int, size: int, workers: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-serve-"))
    env = dict(os.environ, HOME=str(work), GIT_CONFIG_NOSYSTEM="1")
    (work / ".gitconfig").write_text("[user]\n\tname = b\n\temail = b@b\n")
    scaffold = str(BIN / "scaffold")
    results: dict[str, float] = {}
    results["new render"] = render_as_new_does(runs)
    results["render"], results["render cpu"] = render_in_process(runs * 3)
    new = [scaffold, "new", "task-api", "--no-input", "-o"]
    subprocess.run([*new, str(work / "warm")], env=env, check=True, stdout=subprocess.DEVNULL)
    results["new"] = statistics.median(
        [timed([*new, str(work / f"n{i}")], work, env) for i in range(runs)]
    )
    results["new-no-git"] = statistics.median(
        [timed([*new, str(work / f"g{i}"), "--no-git"], work, env) for i in range(runs)]
    )

    port = free_port()
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [scaffold, "serve", "--port", str(port), "--workers", str(workers)],
        cwd=work,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.1)
        for query in cells()[:: max(1, len(cells()) // 12)]:  # each worker's caches warm
            for _ in range(workers):
                get(port, f"/starter.zip?{query}")
        for name, path in {
            "zip": f"/starter.zip?{DEFAULT}",
            "tgz": f"/starter.tgz?{DEFAULT}",
            "zip git": f"/starter.zip?{DEFAULT}&git=true",
        }.items():
            cpu_before = _proc.cpu_seconds(server.pid)
            samples = [get(port, path) for _ in range(runs * 3)]
            results[f"{name} cpu"] = (_proc.cpu_seconds(server.pid) - cpu_before) / len(samples)
            assert all(status == 200 for status, _, _, _ in samples)
            if name == "zip":
                results["zip ttfb"] = statistics.median(s[1] for s in samples)
                results["zip bytes"] = float(samples[0][3])
            results[name] = statistics.median(s[2] for s in samples)
        metadata = sorted(get(port, "/metadata")[2] for _ in range(runs * 10))
        results["metadata"] = statistics.median(metadata)
        results["metadata slowest"] = metadata[-1]
        results.update(burst(port, server.pid, size))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    return results


def report(results: dict[str, float], runs: int, workers: int) -> str:
    lines = [f"scaffold serve benchmark ({workers} workers; medians of {runs * 3} requests)", ""]
    for name, value in results.items():
        if name.startswith(("burst requests", "burst 200", "zip bytes")) or "MB" in name:
            lines.append(f"  {name:<22}{value:9.0f}")
        else:
            lines.append(f"  {name:<22}{value * 1000:9.1f} ms")
    lines.append("")
    checks = [
        (f"zip <= 1.5x new's render ({results['zip'] / results['new render']:.2f}x)",
         results["zip"] <= 1.5 * results["new render"]),
        (f"zip <= 1.5x a warm render ({results['zip'] / results['render']:.2f}x)",
         results["zip"] <= 1.5 * results["render"]),
        (f"zip cpu <= 1.5x a warm render's ({results['zip cpu'] / results['render cpu']:.2f}x)",
         results["zip cpu"] <= 1.5 * results["render cpu"]),
        (f"zip <= new --no-git ({results['zip'] / results['new-no-git']:.2f}x)",
         results["zip"] <= results["new-no-git"]),
        (f"zip git <= new ({results['zip git'] / results['new']:.2f}x)",
         results["zip git"] <= results["new"]),
        ("/metadata < 20 ms", results["metadata"] < 0.020),
        ("burst all 200", results["burst 200"] == results["burst requests"]),
    ]  # fmt: skip
    lines.extend(f"  [{'met' if ok else 'MISSED'}] {label}" for label, ok in checks)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of new; requests are 3x")
    parser.add_argument("--concurrent", type=int, default=50, help="downloads in the burst")
    parser.add_argument("--workers", type=int, default=2, help="scaffold serve --workers")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    install()
    results = bench(args.runs, args.concurrent, args.workers)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(report(results, args.runs, args.workers))


if __name__ == "__main__":
    main()
