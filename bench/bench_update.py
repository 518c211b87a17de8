"""Speed of `scaffold update` and `scaffold check`, side by side with `scaffold new`, in one run.

Usage: python bench/bench_update.py [--runs N] [--framework F] [--json]

Each figure is the median of N runs of a fresh process, taken in alternation so that
the machine's load falls on all of them alike:
  new                 `scaffold new task-api` (render, write, git init + first commit)
  update unchanged    `scaffold update` of a project the real scaffold 0.1.0 generated
                      (built from releases.toml's commit with git archive), untouched
  update edited       the same after edits of every kind that merge cleanly (a route
                      module, an added file, a deleted file, .env), committed
  update up to date   `scaffold update` of a project already up to date (nothing to do)
  check old           `scaffold check` of the 0.1.0 project (an update exists)
  check current       `scaffold check` of an up-to-date project
The toolkit is installed into .bench/venv as a user would install it (see bench_new.py).
Targets (issue 12): update <= 2x new; check < 0.5 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_new import BIN, ROOT, install, median

OLD = "0.1.0"


def timed(
    argv: list[str], *, env: dict[str, str], codes: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Wall and CPU time (user + system, git's processes included) of one command.

    Its exit status must be one of ``codes``. On a machine shared with other work the
    wall time grows with the load, the CPU time much less: compare runs by the latter.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(argv, env=env, check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in codes:
        raise SystemExit(f"{' '.join(argv)} exited {completed.returncode}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def old_toolkit(work: Path) -> Path:
    """scaffold 0.1.0 as released, from this repository's history."""
    commit = tomllib.loads((ROOT / "releases.toml").read_text())["releases"][OLD]
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "toolkit", "templates"],
        capture_output=True,
        check=True,
    ).stdout
    folder = work / f"scaffold-{OLD}"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def generate_old(toolkit: Path, name: str, framework: str, work: Path, env: dict[str, str]) -> Path:
    old_env = dict(env, PYTHONPATH=str(toolkit), SCAFFOLD_CACHE_DIR=str(work / ".cache-old"))
    subprocess.run(
        [str(BIN / "python"), "-m", "toolkit", "new", "task-api", name, "-f", framework,
         "--no-input", "-o", str(work)],
        cwd=work, env=old_env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return work / name


def edit(project: Path, env: dict[str, str]) -> None:
    """Edits of every kind that merge without conflict, committed as a user would."""
    routes = sorted((project / project.name.replace("-", "_")).rglob("routes/*.py"))
    if not routes:
        routes = sorted(project.rglob("src/routes/*.js")) or sorted(project.rglob("views.py"))
    with routes[-1].open("a") as handle:
        handle.write("\n\n# Local change.\n")
    (project / "NOTES.md").write_text("Our notes.\n")
    tests = sorted(project.rglob("test_*.py")) or sorted(project.rglob("*.test.js"))
    tests[0].unlink()
    with (project / ".env").open("a") as handle:
        handle.write("OUR_SETTING=1\n")
    subprocess.run(["git", "add", "-A"], cwd=project, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "Our changes"], cwd=project, env=env, check=True)


def bench(runs: int, framework: str) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-update-"))
    env = dict(os.environ, HOME=str(work), GIT_CONFIG_NOSYSTEM="1")
    (work / ".gitconfig").write_text("[user]\n\tname = b\n\temail = b@b\n")
    scaffold = str(BIN / "scaffold")
    names = ("new", "update unchanged", "update edited", "update up to date", "check old",
             "check current")  # fmt: skip
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    try:
        toolkit = old_toolkit(work)
        # Warm-up: Jinja's template cache and the OS file cache, for both versions.
        subprocess.run(
            [scaffold, "new", "task-api", "warm", "-f", framework, "--no-input", "-o", str(work)],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        warm = generate_old(toolkit, "warm-old", framework, work, env)
        timed([scaffold, "update", str(warm)], env=env)
        for i in range(runs):
            unchanged = generate_old(toolkit, f"u{i}", framework, work, env)
            edited = generate_old(toolkit, f"e{i}", framework, work, env)
            edit(edited, env)
            current = work / f"n{i}"
            new = [scaffold, "new", "task-api", current.name, "-f", framework, "--no-input"]
            samples["new"].append(timed([*new, "-o", str(work)], env=env))
            samples["check old"].append(
                timed([scaffold, "check", str(unchanged)], env=env, codes=(1,))
            )
            samples["update unchanged"].append(timed([scaffold, "update", str(unchanged)], env=env))
            samples["update edited"].append(timed([scaffold, "update", str(edited)], env=env))
            samples["check current"].append(timed([scaffold, "check", str(current)], env=env))
            samples["update up to date"].append(
                timed([scaffold, "update", str(unchanged)], env=env)
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {name: median([wall for wall, _ in values]) for name, values in samples.items()}
    results.update(
        {f"{name} cpu": median([cpu for _, cpu in values]) for name, values in samples.items()}
    )
    return results


def report(results: dict[str, float], runs: int, framework: str) -> str:
    new, new_cpu = results["new"], results["new cpu"]
    lines = [
        f"scaffold update benchmark, task-api on {framework} (medians of {runs} runs)",
        "",
        f"  {'':<22}{'wall':>8}{'cpu':>8}",
    ]
    for name, value in results.items():
        if name.endswith(" cpu"):
            continue
        cpu = results[f"{name} cpu"]
        ratio = ""
        if name.startswith("update"):
            ratio = f"  {value / new:4.2f}x new (cpu {cpu / new_cpu:4.2f}x)"
        lines.append(f"  {name:<22}{value:7.3f}s{cpu:7.3f}s{ratio}")
    worst_check = max(results["check old"], results["check current"])
    worst_check_cpu = max(results["check old cpu"], results["check current cpu"])
    checks = [
        ("update unchanged <= 2x new", results["update unchanged"] <= 2 * new),
        ("update edited <= 2x new", results["update edited"] <= 2 * new),
        ("check < 0.5 s (wall)", worst_check < 0.5),
        ("check < 0.5 s (cpu)", worst_check_cpu < 0.5),
    ]
    lines.append("")
    lines.extend(f"  [{'met' if ok else 'MISSED'}] {label}" for label, ok in checks)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command")
    parser.add_argument("--framework", default="fastapi", help="the framework of the projects")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    install()
    results = bench(args.runs, args.framework)
    if args.json:
        print(json.dumps({k: round(v, 4) for k, v in results.items()}, indent=2))
    else:
        print(report(results, args.runs, args.framework))


if __name__ == "__main__":
    main()
