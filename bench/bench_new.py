"""Speed of `scaffold new`, side by side with the floor for the same work, in one run.

Usage: python bench/bench_new.py [--runs N] [--json] [--no-green]

What it measures, each as the median of N runs of a fresh process:
  help        `scaffold --help`
  new         `scaffold new task-api` (render, write, git init + first commit)
  new-no-git  `scaffold new task-api --no-git`
  floor       a minimal Python program doing the same work: copy the generated tree
              and `git init`, `git add`, `git commit` it
  imports     `import click`, `import jinja2`, `import git`, `import cookiecutter.main`
  new-to-green  `scaffold new` + the project's documented setup (uv, warm cache) +
              its own tests, once per framework (--no-green skips it)

The toolkit is installed into .bench/venv as a user would install it (a regular,
byte-compiled install, not an editable one) and refreshed on every run.
Targets (issue 2): new < 0.5 s and within 3x of the floor; --help < 0.15 s;
new-to-green < 15 s with a warm cache.
"""

from __future__ import annotations

import argparse
import json
import os
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
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def bench(runs: int, *, green: bool = True) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    # A home with an identity, so that scaffold and the floor commit alike.
    env = dict(os.environ, HOME=str(work), GIT_CONFIG_NOSYSTEM="1")
    (work / ".gitconfig").write_text("[user]\n\tname = b\n\temail = b@b\n")
    scaffold = str(BIN / "scaffold")
    python = str(BIN / "python")
    results: dict[str, float] = {}
    try:
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
                    [
                        scaffold,
                        "new",
                        "task-api",
                        f"g{i}",
                        "--no-input",
                        "--no-git",
                        "-o",
                        str(work),
                    ],
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
            values = [
                timed([python, "-c", f"import {module}"], cwd=work, env=env) for _ in range(runs)
            ]
            results[f"import {module}"] = median(values)
        results["python startup"] = median(
            [timed([python, "-c", "pass"], cwd=work, env=env) for _ in range(runs)]
        )
        if green:
            for framework in ("fastapi", "flask"):
                results[f"new-to-green {framework}"] = new_to_green(work, framework, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def new_to_green(work: Path, framework: str, env: dict[str, str]) -> float:
    """Generate, install with the documented command (warm uv cache), run its tests."""
    shims = work / "shims"
    shims.mkdir(exist_ok=True)
    if not (shims / "uv").exists():
        (shims / "uv").symlink_to(uv())
    run_env = dict(env, PATH=f"{shims}:{env['PATH']}", UV_PYTHON_DOWNLOADS="never")
    run_env.pop("VIRTUAL_ENV", None)
    run_env["UV_CACHE_DIR"] = os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv"))
    name = f"green-{framework}"
    started = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "scaffold"),
            "new",
            "task-api",
            name,
            "-f",
            framework,
            "--no-input",
            "-o",
            str(work),
        ],
        env=run_env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    project = work / name
    subprocess.run(
        [
            "bash",
            "-c",
            "uv venv -q --python " + sys.executable + " && uv pip install -q -e '.[dev]'",
        ],
        cwd=project,
        env=run_env,
        check=True,
    )
    subprocess.run(
        [str(project / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=run_env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def report(results: dict[str, float], runs: int) -> str:
    floor = results["floor"]
    lines = [f"scaffold new benchmark (median of {runs} runs, seconds)", ""]
    for name, value in results.items():
        ratio = f"  {value / floor:4.1f}x floor" if name in {"new", "new-no-git", "help"} else ""
        lines.append(f"  {name:<26}{value:7.3f}{ratio}")
    checks = [
        ("new < 0.5 s", results["new"] < 0.5),
        ("new within 3x of floor", results["new"] <= 3 * floor),
        ("--help < 0.15 s", results["help"] < 0.15),
    ]
    checks.extend(
        (f"new-to-green < 15 s ({framework})", results[f"new-to-green {framework}"] < 15)
        for framework in ("fastapi", "flask")
        if f"new-to-green {framework}" in results
    )
    lines.append("")
    lines.extend(f"  [{'met' if ok else 'MISSED'}] {label}" for label, ok in checks)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--no-green", action="store_true", help="skip new-to-green (installs and tests)"
    )
    args = parser.parse_args()
    install()
    results = bench(args.runs, green=not args.no_green)
    if args.json:
        print(json.dumps({k: round(v, 4) for k, v in results.items()}, indent=2))
    else:
        print(report(results, args.runs))


if __name__ == "__main__":
    main()
