"""Speed of `scaffold new`, side by side with the floor for the same work, in one run.

Usage: python bench/bench_new.py [--runs N] [--green-runs N] [--frameworks a,b] [--only WHAT]
                                  [--json]

What it measures, each as the median of N runs of a fresh process:
  help        `scaffold --help`
  new         `scaffold new task-api` (render, write, git init + first commit)
  new-no-git  `scaffold new task-api --no-git`
  floor       a minimal Python program doing the same work: copy the generated tree
              and `git init`, `git add`, `git commit` it
  imports     `import click`, `import jinja2`, `import git`, `import cookiecutter.main`
  new-to-green  `scaffold new` + the project's documented setup (`uv sync --locked`,
              `npm ci`; warm caches) + its documented quick test run (`pytest`,
              `npm test`), per framework (median of --green-runs runs), with the
              three phases apart (new, setup, test), each in wall and in CPU time
              (user + system of every process; what the load changes least). The
              environment is the one `scaffold verify` gives its steps (no
              PYTHONDONTWRITEBYTECODE: a user's shell does not set it, and the tests'
              subprocesses reuse the bytecode)

--only new|green runs one half (the other's figures and targets are left out).

The toolkit is installed into .bench/venv as a user would install it (a regular,
byte-compiled install, not an editable one) and refreshed on every run.
Targets (issue 2): new < 0.5 s and within 3x of the floor; --help < 0.15 s;
new-to-green < 15 s with a warm cache.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
VENV = BENCH / "venv"
BIN = VENV / "bin"

FLOOR = """
import shutil, subprocess, sys
source, dest = sys.argv[1], sys.argv[2]
shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".git"))
env = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b",
       "GIT_COMMITTER_EMAIL": "b@b", "PATH": "/usr/bin:/bin", "HOME": dest}
for argv in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
             ["git", "commit", "-q", "--no-verify", "-m", "Initial commit"]):
    subprocess.run(argv, cwd=dest, env=env, check=True)
"""


def uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not Path(found).exists():
        sys.exit("bench needs uv (pip install uv)")
    return found


def install() -> None:
    """A regular install of this checkout, byte-compiled as pip would leave it."""
    if not (BIN / "python").exists():
        subprocess.run([uv(), "venv", "-q", "--python", sys.executable, str(VENV)], check=True)
    subprocess.run(
        [
            uv(),
            "pip",
            "install",
            "-q",
            "--python",
            str(BIN / "python"),
            "--compile-bytecode",
            "--reinstall-package",
            "scaffold-toolkit",
            str(ROOT),
            "cookiecutter",
        ],
        check=True,
    )


def timed(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> float:
    return timed_with_cpu(argv, cwd=cwd, env=env)[0]


def timed_with_cpu(
    argv: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall time, and the CPU time (user + system) of the process and all it waited for.

    On a machine shared with other work the wall time grows with the load; the CPU
    time much less, so it is the figure to compare runs made under different loads.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def bench(runs: int, green_runs: int, frameworks: list[str], only: str) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    # A home with an identity, so that scaffold and the floor commit alike.
    env = dict(os.environ, HOME=str(work), GIT_CONFIG_NOSYSTEM="1")
    (work / ".gitconfig").write_text("[user]\n\tname = b\n\temail = b@b\n")
    results: dict[str, float] = {}
    try:
        if only != "green":
            results.update(bench_new(work, runs, env))
        if only != "new":
            for framework in frameworks:
                phases: dict[str, list[float]] = {}
                for i in range(green_runs):
                    for phase, seconds in new_to_green(work, framework, env, i).items():
                        phases.setdefault(phase, []).append(seconds)
                for phase, values in phases.items():
                    results[f"new-to-green {framework}{phase}"] = median(values)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def bench_new(work: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    """`scaffold --help`, `scaffold new`, the floor and the imports: medians of ``runs``."""
    scaffold = str(BIN / "scaffold")
    python = str(BIN / "python")
    results: dict[str, float] = {}
    # Warm-up: the first run fills Jinja's template cache and the OS file cache.
    subprocess.run(
        [scaffold, "new", "task-api", "warm", "--no-input", "-o", str(work)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    reference = work / "warm"
    samples: dict[str, list[float]] = {k: [] for k in ("help", "new", "new-no-git", "floor")}
    for i in range(runs):
        samples["help"].append(timed([scaffold, "--help"], cwd=work, env=env))
        samples["new"].append(
            timed(
                [scaffold, "new", "task-api", f"n{i}", "--no-input", "-o", str(work)],
                cwd=work,
                env=env,
            )
        )
        samples["new-no-git"].append(
            timed(
                [scaffold, "new", "task-api", f"g{i}", "--no-input", "--no-git", "-o", str(work)],
                cwd=work,
                env=env,
            )
        )
        samples["floor"].append(
            timed([python, "-c", FLOOR, str(reference), str(work / f"f{i}")], cwd=work, env=env)
        )
    for name, values in samples.items():
        results[name] = median(values)
    for module in ("click", "jinja2", "git", "cookiecutter.main"):
        values = [timed([python, "-c", f"import {module}"], cwd=work, env=env) for _ in range(runs)]
        results[f"import {module}"] = median(values)
    results["python startup"] = median(
        [timed([python, "-c", "pass"], cwd=work, env=env) for _ in range(runs)]
    )
    return results


def new_to_green(work: Path, framework: str, env: dict[str, str], run: int) -> dict[str, float]:
    """Generate, install with the documented command (warm uv cache), run its tests.

    Returns the whole wall time (key "") and CPU time (" cpu"), and each phase's
    (" new", " new cpu", " setup", " setup cpu", " test", " test cpu").
    """
    shims = work / "shims"
    shims.mkdir(exist_ok=True)
    if not (shims / "uv").exists():
        (shims / "uv").symlink_to(uv())
    # As `scaffold verify` runs the steps: no VIRTUAL_ENV, and bytecode is written, as
    # in a user's shell (the tests' subprocesses then reuse what the first import compiled).
    dropped = {"VIRTUAL_ENV", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE"}
    run_env = {k: v for k, v in env.items() if k not in dropped}
    run_env.update(PATH=f"{shims}:{env['PATH']}", UV_PYTHON_DOWNLOADS="never")
    run_env["UV_CACHE_DIR"] = os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv"))
    # npm's cache and settings are the user's (HOME is the bench's scratch folder).
    home = Path.home()
    run_env.setdefault("npm_config_cache", str(home / ".npm"))
    if (home / ".npmrc").is_file():
        run_env.setdefault("NPM_CONFIG_USERCONFIG", str(home / ".npmrc"))
    name = f"green-{framework}-{run}"
    project = work / name
    argv = [str(BIN / "scaffold"), "new", "task-api", name, "-f", framework, "--no-input"]
    figures = {"": 0.0, " cpu": 0.0}

    def phase(name: str, command: list[str], cwd: Path) -> None:
        wall, cpu = timed_with_cpu(command, cwd=cwd, env=run_env)
        figures[f" {name}"], figures[f" {name} cpu"] = wall, cpu
        figures[""] += wall
        figures[" cpu"] += cpu

    phase("new", [*argv, "-o", str(work)], work)
    # Then the commands its README gives: the locked install, and the quick test run.
    setup, test = documented_commands(project)
    phase("setup", ["bash", "-c", setup], project)
    phase("test", ["bash", "-c", test], project)
    shutil.rmtree(project, ignore_errors=True)
    return figures


def documented_commands(project: Path) -> tuple[str, str]:
    """The setup and quick-test commands of a generated project (its README's)."""
    sys.path.insert(0, str(ROOT))
    from toolkit import load_catalog
    from toolkit._model import build_model
    from toolkit._verify import read_spec

    spec = read_spec(project)
    commands = build_model(load_catalog().layer_paths(spec)).commands
    return (
        commands["setup"].format(package=spec.package),
        commands["test_hint"].format(package=spec.package),
    )


def report(results: dict[str, float], runs: int, green_runs: int) -> str:
    lines = [f"scaffold new benchmark (medians of {runs} runs, new-to-green of {green_runs})", ""]
    floor = results.get("floor")
    for name, value in results.items():
        ratio = ""
        if floor and name in {"new", "new-no-git", "help"}:
            ratio = f"  {value / floor:4.1f}x floor"
        lines.append(f"  {name:<32}{value:7.3f}{ratio}")
    checks = []
    if floor is not None:
        checks += [
            ("new < 0.5 s", results["new"] < 0.5),
            ("new within 3x of floor", results["new"] <= 3 * floor),
            ("--help < 0.15 s", results["help"] < 0.15),
        ]
    for name, value in results.items():
        if name.startswith("new-to-green ") and " " not in name.removeprefix("new-to-green "):
            checks.append((f"{name} < 15 s", value < 15))
    lines.append("")
    lines.extend(f"  [{'met' if ok else 'MISSED'}] {label}" for label, ok in checks)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of new, --help, floor, imports")
    parser.add_argument("--green-runs", type=int, default=3, help="runs of new-to-green each")
    parser.add_argument(
        "--frameworks",
        default="fastapi,flask,django,express",
        help="new-to-green frameworks, comma-separated (default: fastapi,flask,django,express)",
    )
    parser.add_argument("--only", choices=("new", "green"), help="measure only this half")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    install()
    frameworks = [f for f in args.frameworks.split(",") if f]
    results = bench(args.runs, args.green_runs, frameworks, args.only or "")
    if args.json:
        print(json.dumps({k: round(v, 4) for k, v in results.items()}, indent=2))
    else:
        print(report(results, args.runs, args.green_runs))


if __name__ == "__main__":
    main()
