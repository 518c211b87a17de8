"""Every offered combination, generated for real: lint it, then verify it end to end.

This is what makes a combination "offered": the catalog may list only cells this
test proves. Each cell is generated into a temporary folder, checked for leftover
template syntax, its Dockerfile linted with hadolint, and ``verify`` run on it
(install, ruff, its own tests, migrations, the real server, the contract suite).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from toolkit import Catalog, Combination, VerifyReport, __version__, generate, load_catalog, verify
from toolkit._model import build_model

from .test_render import LONG_NAME, TEMPLATE_SYNTAX, VARIED_NAMES, varied_name

pytestmark = pytest.mark.slow

COMBINATIONS = load_catalog().combinations()
#: One cell per framework is proven with the feature k8s as well: its manifests change
#: nothing the service runs (tests/test_k8s.py builds and checks those of every cell).
K8S_CELLS = frozenset(
    {
        "payments/fastapi/postgres",
        "auth-service/flask/mysql",
        "task-api/django/postgres",
        "payments/express/mysql",
    }
)
#: One cell per framework is proven with the feature metrics: verify's `metrics` step
#: reads /metrics around requests that the server's workers share.
METRICS_CELLS = frozenset(
    {
        "task-api/fastapi/postgres",
        "blog-api/flask/sqlite",
        "inventory/django/mysql",
        "auth-service/express/postgres",
    }
)
#: Two cells per framework are proven with the feature ratelimit, one on the service's
#: own tokens and one with jwks (of JWKS_CELLS: the account is the issuer's subject): its
#: projects count in this machine's Redis, and verify adds its step "ratelimit".
RATELIMIT_CELLS = frozenset(
    {
        "task-api/fastapi/sqlite",
        "payments/flask/postgres",
        "blog-api/django/mysql",
        "inventory/express/postgres",
        "task-api/fastapi/mysql",
        "blog-api/flask/postgres",
        "inventory/django/postgres",
        "task-api/express/postgres",
    }
)
#: One cell per framework that offers it is proven with the feature cache: its projects
#: cache in this machine's Redis, and verify adds its step "cache". The cells also in
#: JWKS_CELLS prove the two together, one per framework (the same user with a plain and
#: an admin's token has entries apart: verify's cache step).
CACHE_CELLS = frozenset(
    {
        "blog-api/fastapi/postgres",
        "inventory/flask/sqlite",
        "task-api/django/postgres",
        "blog-api/express/mysql",
        "task-api/fastapi/mysql",
        "task-api/express/postgres",
    }
)
#: One cell per framework of each kind that offers it is proven with the feature queue:
#: its jobs go through this machine's Redis, and verify adds its step "queue" (a server
#: and the worker of its own, after the main ones stopped: toolkit/_queue_check.py).
QUEUE_CELLS = frozenset(
    {
        "payments/fastapi/postgres",
        "payments/flask/sqlite",
        "payments/django/mysql",
        "payments/express/postgres",
        "auth-service/fastapi/postgres",
        "auth-service/flask/mysql",
        "auth-service/django/sqlite",
        "auth-service/express/sqlite",
    }
)
#: Two cells per framework where it is offered are proven with the feature jwks, one of
#: them with the feature cache too (in CACHE_CELLS): verify
#: serves an issuer of its own (toolkit/contracts/issuer.py), the service trusts its
#: tokens, and the contract runs in issuer mode (no admin to create: the admin is a token).
#: payments' queue cells take it too: the queue check's merchants are then issued tokens.
JWKS_CELLS = frozenset(
    {
        "task-api/fastapi/mysql",
        "blog-api/flask/postgres",
        "inventory/django/postgres",
        "task-api/express/postgres",
        "payments/fastapi/postgres",
        "payments/flask/sqlite",
        "payments/django/mysql",
        "payments/express/postgres",
        "inventory/flask/sqlite",
        "task-api/django/postgres",
    }
)
STEPS = [
    "setup", "lint", "typecheck", "test", "create-database", "migrate", "create-admin",
    "start", "request-log", "contract", "outage", "graceful-stop", "stop", "drop-database",
]  # fmt: skip


def skip_or_fail(reason: str) -> None:
    """Skip on a user's machine; under CI=true a missing tool or service is a failure."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true)")
    pytest.skip(reason)


def tool(name: str) -> str:
    """A tool installed with the test extras (next to this Python) or on PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        skip_or_fail(f"{name} is not installed (pip install -e '.[test]')")
    assert found is not None
    return found


def require_server(catalog: Catalog, database: str) -> None:
    """The database server verify will use must answer, or the cell cannot be proven."""
    entry = catalog.databases[database]
    url = entry.server_url()
    if url is None:
        return
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 0), timeout=3).close()
    except OSError as exc:
        skip_or_fail(
            f"no {entry.label} server at {parts.hostname}:{parts.port} "
            f"(set {entry.server_env}): {exc}"
        )


def require_redis() -> None:
    """The Redis that verify gives projects with the features ratelimit, cache must answer."""
    url = urlsplit(os.environ.get("SCAFFOLD_REDIS_URL", "redis://127.0.0.1:6379/0"))
    try:
        socket.create_connection((url.hostname, url.port or 6379), timeout=3).close()
    except OSError as exc:
        skip_or_fail(f"no Redis at {url.hostname}:{url.port} (set SCAFFOLD_REDIS_URL): {exc}")


def run(argv: list[str], cwd: Path) -> str:
    completed = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, f"{' '.join(argv)}\n{completed.stdout}{completed.stderr}"
    return completed.stdout


@pytest.fixture(scope="session")
def node_prebuilds() -> None:
    """Native Node modules built once and cached where npm ci finds them (docs/node.md)."""
    script = Path(__file__).resolve().parents[1] / "scripts" / "node_prebuilds.py"
    run([sys.executable, str(script)], script.parent)


def prepare(catalog: Catalog, framework: str, request: pytest.FixtureRequest) -> None:
    """What a framework's language needs before its projects install."""
    if catalog.frameworks[framework].language == "node":
        if shutil.which("npm") is None:
            skip_or_fail("node and npm are not installed")
        request.getfixturevalue("node_prebuilds")


@pytest.mark.parametrize(
    ("cell", "name"),
    [pytest.param(cell, varied_name(i), id=str(cell)) for i, cell in enumerate(COMBINATIONS)],
)
def test_offered_combination_is_proven(
    cell: Combination, name: str, catalog: Catalog, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Each cell under a name of its own (``varied_name``): no name may turn a cell red."""
    require_server(catalog, cell.database)
    prepare(catalog, cell.framework, request)
    features = [
        *catalog.default_features(),
        *(["k8s"] if str(cell) in K8S_CELLS else []),
        *(["metrics"] if str(cell) in METRICS_CELLS else []),
        *(["jwks"] if str(cell) in JWKS_CELLS else []),
    ]
    if str(cell) in RATELIMIT_CELLS:
        require_redis()
        features.append("ratelimit")
    if str(cell) in CACHE_CELLS:
        require_redis()
        features.append("cache")
    if str(cell) in QUEUE_CELLS:
        require_redis()
        features.append("queue")
    spec = catalog.resolve(
        cell.kind, name, framework=cell.framework, database=cell.database, features=features
    )
    result = generate(spec, tmp_path / spec.name, catalog=catalog)

    for relative in result.files:
        text = (result.path / relative).read_text(errors="replace")
        assert not TEMPLATE_SYNTAX.search(text), f"template syntax left in {relative}"
    run([tool("hadolint"), "Dockerfile"], result.path)

    report = verify(result.path)
    record_steps(cell, report)
    failed = [step for step in report.steps if not step.ok]
    assert report.ok, "\n\n".join(f"{s.name}: {s.command}\n{s.detail}" for s in failed)
    names = [step.name for step in report.steps]
    expected = list(STEPS)
    if str(cell) in METRICS_CELLS:
        expected.insert(expected.index("contract") + 1, "metrics")
    if "ratelimit" in features:
        expected.insert(expected.index("outage"), "ratelimit")
    if "cache" in features:
        expected.insert(expected.index("outage"), "cache")
    if "worker" in result.commands:
        expected.insert(len(expected) - 1, "worker")
    if "queue" in features:
        expected.insert(len(expected) - 1, "queue")
    if "jwks" in features:
        expected.remove("create-admin")
    assert names == expected
    if {"cache", "jwks"} <= set(features):
        cache_step = next(step for step in report.steps if step.name == "cache")
        assert "as an admin (token roles) entries apart" in cache_step.detail, cache_step.detail
    test_step = next(step for step in report.steps if step.name == "test")
    # The test command measured coverage (pytest --cov, node's own), and its gate held.
    assert re.fullmatch(r"coverage \d+(\.\d+)?%", test_step.detail), test_step.detail
    # The project's environment outlives verify (its tools are real files, not links
    # into verify's scratch folder).
    for folder in build_model(catalog.layer_paths(spec)).vars["bin_path"]:
        tools = [path for path in (result.path / folder).iterdir() if path.is_file()]
        assert tools, f"no tools in {folder}"
    if catalog.frameworks[cell.framework].language == "python":
        python = str(result.path / ".venv" / "bin" / "python")
        run([python, "-c", f"import {spec.package}"], result.path)
    contract = next(step for step in report.steps if step.name == "contract")
    assert re.search(r"\d+ passed", contract.detail), contract.detail
    check_lock_and_hooks(result.path, catalog.frameworks[cell.framework].language, report)


#: Each cell's verify steps and their seconds, one JSON line per cell (.ci/run sums them:
#: where the matrix's time goes, which a choice of cells to sample would start from).
STEP_TIMES = Path(__file__).resolve().parents[1] / ".bench" / "matrix-steps.jsonl"


def record_steps(cell: Combination, report: VerifyReport) -> None:
    """Append the cell's step times to STEP_TIMES (one short write: xdist's workers share it)."""
    STEP_TIMES.parent.mkdir(exist_ok=True)
    line = {"cell": str(cell), "steps": {s.name: round(s.seconds, 2) for s in report.steps}}
    with STEP_TIMES.open("a") as out:
        out.write(json.dumps(line) + "\n")


def check_lock_and_hooks(project: Path, language: str, report: VerifyReport) -> None:
    """The lock file was used and is in sync (setup installs with --locked and changed
    it not), and the project's pre-commit hooks pass on its tree, changing nothing."""
    lock = "uv.lock" if language == "python" else "package-lock.json"
    setup = next(step for step in report.steps if step.name == "setup")
    assert ("--locked" if language == "python" else "npm ci") in (setup.command or "")
    before = run(["git", "status", "--porcelain"], project)
    run(["git", "diff", "--exit-code", "--", lock], project)
    own = project / ".venv" / "bin" / "pre-commit"
    pre_commit = str(own) if language == "python" else tool("pre-commit")
    started = time.perf_counter()
    run([pre_commit, "run", "--all-files", "--show-diff-on-failure"], project)
    print(f"pre-commit: {time.perf_counter() - started:.1f} s")
    assert run(["git", "status", "--porcelain"], project) == before


@pytest.mark.parametrize("framework", sorted({c.framework for c in COMBINATIONS}))
def test_every_name_stays_lint_clean(
    framework: str, catalog: Catalog, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Every kind under every varied name (the longest allowed too) passes the linters.

    The matrix meets each name on a few cells only; this lints them all. ruff runs once
    over every project, each under its own configuration.
    """
    prepare(catalog, framework, request)
    kinds = list(dict.fromkeys(c.kind for c in COMBINATIONS if c.framework == framework))
    if catalog.frameworks[framework].language == "node":
        # eslint is a dependency of the project: install, then lint as verify does.
        spec = catalog.resolve(kinds[0], LONG_NAME, framework=framework)
        result = generate(spec, tmp_path / spec.name, git=False, catalog=catalog)
        run(["bash", "-c", result.commands["setup"]], result.path)
        run(["bash", "-c", result.commands["lint"]], result.path)
        return
    ruff = tool("ruff")
    for kind in kinds:
        for name in VARIED_NAMES:
            spec = catalog.resolve(kind, name, framework=framework)
            generate(spec, tmp_path / kind / spec.name, git=False, catalog=catalog)
    run([ruff, "check", "--no-cache", "--output-format", "concise", "."], tmp_path)
    run([ruff, "format", "--no-cache", "--check", "."], tmp_path)


# Captured at import, before a test's HOME is an empty folder: pip keeps its warm cache.
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")


def path_without(*programs: str) -> str:
    """This PATH without the folders that hold any of ``programs`` (a newcomer's shell)."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    kept = [f for f in folders if f and not any((Path(f) / p).exists() for p in programs)]
    return os.pathsep.join(kept)


@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_the_printed_next_steps_work_when_pasted(
    framework: str, catalog: Catalog, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`scaffold new` run as the README runs it (its venv not activated, no uv on PATH):
    the lines it prints under "Next:" run in a fresh shell, one after the other.

    The last one, `<scaffold> verify .`, runs with `--version` instead: the matrix
    verifies these cells; here it must find the scaffold that ran, from the project.
    """
    prepare(catalog, framework, request)
    scaffold = Path(sys.executable).parent / "scaffold"
    env = dict(os.environ, PATH=path_without("uv", "scaffold"), PIP_CACHE_DIR=PIP_CACHE)
    env.pop("VIRTUAL_ENV", None)
    made = subprocess.run(
        [str(scaffold), "new", "task-api", "pasted", "-f", framework, "--no-input"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    lines = [line.strip() for line in made.stdout.split("\nNext:\n", 1)[1].splitlines()]
    assert lines[0] == "cd pasted" and lines[-1] == f"{scaffold} verify ."
    lines[-1] = lines[-1].removesuffix(" verify .") + " --version"
    for line in lines:  # one shell, as a person pastes them, failing at the first error
        print(f"$ {line}")
    pasted = subprocess.run(
        ["bash", "-euc", "\n".join(lines)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert pasted.returncode == 0, f"{lines}\n{pasted.stdout[-3000:]}{pasted.stderr[-3000:]}"
    assert re.search(r"\d+ passed|pass \d+", pasted.stdout), pasted.stdout[-3000:]
    assert pasted.stdout.rstrip().endswith(f"scaffold, version {__version__}")


@pytest.mark.parametrize("framework", ["django", "express"])
def test_tests_that_cannot_run_are_counted_with_their_reason(
    framework: str, catalog: Catalog, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A server project's own tests with no server and no Docker engine: every test that
    does not run is counted as skipped and printed with its reason, the run's last lines
    say how many did not run and why, and under CI=true the run fails."""
    prepare(catalog, framework, request)
    spec = catalog.resolve("task-api", "no-server", framework=framework, database="postgres")
    result = generate(spec, tmp_path / spec.name, git=False, catalog=catalog)
    uv = tool("uv")
    env = {k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL", "DATABASE_URL"}}
    env.update(
        PATH=os.pathsep.join([str(Path(uv).parent), env["PATH"]]),
        DOCKER_HOST=f"unix://{tmp_path}/no-docker.sock",  # no engine answers there
        CI="",
    )
    env.pop("VIRTUAL_ENV", None)

    def run_tests(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        test = result.commands.get("test_hint", result.commands["test"])
        return subprocess.run(
            ["bash", "-c", test],
            cwd=result.path,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
        )

    subprocess.run(["bash", "-c", result.commands["setup"]], cwd=result.path, env=env, check=True)
    ran = run_tests({})
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output[-3000:]
    reason = "set TEST_DATABASE_URL to a"
    last = "\n".join(output.strip().splitlines()[-12:])
    if framework == "express":
        total = int(re.findall(r"tests (\d+)", output)[-1])
        skipped = int(re.findall(r"skipped (\d+)", output)[-1])
        passed = int(re.findall(r"pass (\d+)", output)[-1])
        # The tests that need no database (logs, error mapping) run; the others skip.
        assert skipped + passed == total and skipped > 20, output[-3000:]
        assert f"{skipped} of {total} tests did not run:" in last and reason in last, last
        assert output.count(f"# {reason}") == skipped  # each one printed with its reason
    else:
        skipped = int(re.findall(r"(\d+) skipped", last)[-1])
        assert skipped > 20 and reason in last, last
        assert sum(int(n) for n in re.findall(r"SKIPPED \[(\d+)\]", output)) == skipped
    failed = run_tests({"CI": "true"})
    assert failed.returncode != 0 and "CI=true" in failed.stdout + failed.stderr


def test_the_built_wheel_carries_the_templates(tmp_path: Path) -> None:
    uv = tool("uv")
    root = Path(__file__).resolve().parents[1]
    run([uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(root)], root)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    venv = tmp_path / "venv"
    run([uv, "venv", "-q", "--python", sys.executable, str(venv)], tmp_path)
    run(
        [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), str(wheel)], tmp_path
    )
    where = run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from toolkit._paths import templates_root as t; print(t())",
        ],
        tmp_path,
    )
    assert Path(where.strip()).is_relative_to(venv)
    run([str(venv / "bin" / "scaffold"), "new", "task-api", "--no-input", "-o", "out"], tmp_path)
    assert (tmp_path / "out" / "task-api" / "task_api" / "main.py").is_file()
