"""Docker for real: build generated images, run them, contract-test the containers.

Needs a Docker engine (``eval "$(bash scripts/docker/engine.sh start)"``) and, where no
registry is reachable, the local stand-ins of the images generated projects name
(``bash scripts/docker/base-images.sh``). By default one image per framework x database
is built (the kinds take turns); ``SCAFFOLD_DOCKER_ALL=1`` builds every offered
combination. Figures (build time, size) are written to ``.bench/docker-images.json``.
A PostgreSQL and a MySQL project's compose stack per language (database, migrations,
two replicas behind nginx) is brought up by the project's own integration tests
(``pytest -m docker``), and projects on a database server run their own tests with no
server given, starting one from their compose.test.yaml. The toolkit's own image
(``scaffold serve``, the repository's Dockerfile) is built and run too.
"""

import fcntl
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import uuid
import zipfile
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest

from toolkit import Catalog, Combination, generate, load_catalog, run_contract
from toolkit._model import build_model
from toolkit._verify import _free_port, _Runner, _service_env, _url_with

from .test_matrix import require_server, skip_or_fail

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / ".bench" / "docker-images.json"
BASE_IMAGES = {"python": "python:3.11-slim", "node": "node:20-slim"}
DATABASE_IMAGES = {"postgres": "postgres:16", "mysql": "mysql:8.4"}
# What an image may add to its base image (the dependencies and the code), per framework:
# measured 77-91 MB for FastAPI/Flask, about 85 MB for Django, 15-20 MB for Express.
SIZE_BUDGET_MB = {"fastapi": 160, "flask": 160, "django": 160, "express": 80}


def image_cells(catalog: Catalog, every: bool) -> list[Combination]:
    """Every offered cell, or one per framework x database with the kinds taking turns."""
    offered = catalog.combinations()
    if every:
        return offered
    chosen: list[Combination] = []
    for n, (framework, database) in enumerate(
        dict.fromkeys((c.framework, c.database) for c in offered)
    ):
        cells = [c for c in offered if (c.framework, c.database) == (framework, database)]
        chosen.append(cells[n % len(cells)])
    return chosen


CELLS = image_cells(load_catalog(), os.environ.get("SCAFFOLD_DOCKER_ALL", "") == "1")


def docker(*args: str, check: bool = True, timeout: float = 600) -> str:
    completed = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and completed.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)}\n{completed.stdout}{completed.stderr}")
    return completed.stdout.strip()


@pytest.fixture(scope="module")
def engine() -> None:
    if (
        shutil.which("docker") is None
        or subprocess.run(["docker", "info"], capture_output=True, check=False).returncode != 0
    ):
        skip_or_fail('no Docker engine (eval "$(bash scripts/docker/engine.sh start)")')
    need_images(*BASE_IMAGES.values())


def need_images(*images: str) -> None:
    for image in images:
        if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode:
            skip_or_fail(f"no {image} image (bash scripts/docker/base-images.sh)")


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"no healthy answer from {url} within {timeout} s")


def record(name: str, figures: dict[str, float]) -> None:
    FIGURES.parent.mkdir(exist_ok=True)
    # Tests may run in parallel (pytest -n): one writer at a time.
    with (FIGURES.parent / "docker-images.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
        data[name] = figures
        FIGURES.write_text(json.dumps(data, indent=2) + "\n")


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_image_builds_runs_and_passes_the_contract(
    engine: None, catalog: Catalog, tmp_path: Path, cell: Combination
) -> None:
    kind, framework, database = cell.kind, cell.framework, cell.database
    require_server(catalog, database)
    language = catalog.frameworks[framework].language
    spec = catalog.resolve(kind, "image-check", framework=framework, database=database)
    result = generate(spec, tmp_path / spec.name, git=False, catalog=catalog)
    project, commands = result.path, result.commands
    model = build_model(catalog.layer_paths(spec))  # for its vars (URL spelling, mounts)
    tag = f"scaffold-check-{uuid.uuid4().hex[:8]}"

    started = time.perf_counter()
    docker("build", "-q", "-t", tag, str(project), timeout=900)
    build_seconds = time.perf_counter() - started
    size_mb = int(docker("image", "inspect", "--format", "{{.Size}}", tag)) / 1e6
    base_mb = int(docker("image", "inspect", "--format", "{{.Size}}", BASE_IMAGES[language])) / 1e6
    record(str(cell), {
        "build_seconds": round(build_seconds, 1),
        "image_mb": round(size_mb, 1),
        "added_to_base_mb": round(size_mb - base_mb, 1),
    })  # fmt: skip

    config = json.loads(docker("image", "inspect", "--format", "{{json .Config}}", tag))
    assert config["User"] not in {"", "root", "0"}, "the image must not run as root"
    assert config["Healthcheck"]["Test"], "the image needs a HEALTHCHECK"
    assert size_mb - base_mb <= SIZE_BUDGET_MB[framework], f"{size_mb - base_mb:.0f} MB added"
    history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", tag)
    assert "SECRET_KEY=" not in history

    port = _free_port()
    admin_email, admin_password = f"admin-{uuid.uuid4().hex[:6]}@example.com", "admin-password-1"
    env = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PORT": str(port),
        "FIRST_ADMIN_EMAIL": admin_email,
        "FIRST_ADMIN_PASSWORD": admin_password,
    }
    volume: list[str] = []
    server = catalog.databases[database].server_url()
    if server is None:
        volume_name = f"{tag}-data"
        volume = ["-v", f"{volume_name}:/app/data"]
        env["DATABASE_URL"] = "sqlite:////app/data/app.db"
    else:
        # Spelled for the project's stack by its layers, as verify does.
        env["DATABASE_URL"] = _url_with(
            server,
            scheme=model.vars["url_scheme"],
            path=f"/image_{tag[-8:]}",
            query=model.vars.get("url_query", ""),
        )
    # The project's own mounts for `docker run` (docker_run_mounts, e.g. auth-service's
    # signing keys), from a copy the container's non-root user may read.
    for mount in model.vars.get("docker_run_mounts", []):
        source, target, *options = mount.split(":")
        copy = tmp_path / "mounts" / source.removeprefix("./")
        shutil.copytree(project / source, copy)
        subprocess.run(["chmod", "-R", "a+rX", str(copy)], check=True)
        volume += ["-v", ":".join([str(copy), target, *options])]
    flags = ["--network", "host", *volume, *[f"-e{k}={v}" for k, v in env.items()]]

    def one_off(command: str, check: bool = True) -> None:
        # The project's documented one-off commands, run in its image (README: Docker).
        docker("run", "--rm", *flags, tag, "sh", "-c", command, timeout=300, check=check)

    containers: list[str] = []
    try:
        for step in ("create_database", "migrate", "create_admin"):
            one_off(commands[step])
        if "worker" in commands:
            # The project's worker in a container of its own, as compose.yaml runs it.
            containers.append(docker("run", "-d", *flags, tag, "sh", "-c", commands["worker"]))
        container = docker("run", "-d", *flags, tag)
        containers.append(container)
        wait_healthy(f"http://127.0.0.1:{port}/health")
        ok, output = run_contract(
            kind, f"http://127.0.0.1:{port}", admin_email=admin_email, admin_password=admin_password
        )
        assert ok, output[-4000:]
        health = docker("inspect", "--format", "{{.State.Health.Status}}", container)
        assert health in {"starting", "healthy"}, health
    finally:
        for name in containers:
            logs = docker("logs", name, check=False).splitlines()
            docker("rm", "-f", name, check=False)
            # What went wrong, without the access log's lines.
            print("\n".join(line for line in logs if '" 20' not in line)[-4000:])
        one_off(commands["drop_database"], check=False)
        if server is None:
            docker("volume", "rm", "-f", volume_name, check=False)
        # --no-prune: the untagged layers below it may be the cache another build,
        # running at the same time, has just taken as its parent ("unknown parent
        # image ID" when they vanish under it). The engine is a throwaway one.
        docker("rmi", "-f", "--no-prune", tag, check=False)


def test_one_image_per_framework_and_database() -> None:
    catalog = load_catalog()
    assert set(SIZE_BUDGET_MB) == set(catalog.frameworks), "every framework needs a size budget"
    cells = image_cells(catalog, every=False)
    pairs = {(c.framework, c.database) for c in catalog.combinations()}
    assert {(c.framework, c.database) for c in cells} == pairs
    assert len(cells) == len(pairs)
    assert all(catalog.is_offered(c.kind, c.framework, c.database) for c in cells)


def first_cell(
    catalog: Catalog, database: str, *, framework: str = "", language: str = ""
) -> Combination:
    """The first offered cell on ``database`` of a framework, or of a language."""
    for cell in catalog.combinations():
        if cell.database != database:
            continue
        if framework and cell.framework != framework:
            continue
        if language and catalog.frameworks[cell.framework].language != language:
            continue
        return cell
    pytest.skip(f"no {framework or language} cell on {database} is offered")


def installed_project(
    catalog: Catalog, cell: Combination, name: str, tmp_path: Path
) -> tuple[Path, dict[str, str], dict[str, str]]:
    """Generate and install ``cell``; return its folder, commands and environment."""
    spec = catalog.resolve(cell.kind, name, framework=cell.framework, database=cell.database)
    result = generate(spec, tmp_path / spec.name, git=False, catalog=catalog)
    model = build_model(catalog.layer_paths(spec))  # for its vars (URL spelling, mounts)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    runner = _Runner(result.path, _service_env(result.path, model.vars, scratch))
    setup = runner.run("setup", result.commands["setup"], timeout=900)
    assert setup.ok, setup.detail
    return result.path, result.commands, runner.env


def run_project_tests(command: str, project: Path, env: dict[str, str]) -> str:
    """Run a project's test command; it must pass with no test skipped."""
    completed = subprocess.run(
        ["bash", "-c", command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    # pytest's "3 passed" or node's "pass 3"; no test may have been skipped.
    assert re.search(r"\b[1-9]\d* passed\b|\bpass [1-9]\d*\b", output), output[-2000:]
    assert not re.search(r"\b[1-9]\d* skipped\b|\bskipped [1-9]\d*\b", output), output[-2000:]
    return output


@pytest.mark.parametrize("database", sorted(DATABASE_IMAGES))
@pytest.mark.parametrize("language", sorted(BASE_IMAGES))
def test_compose_stack_serves_through_nginx(
    engine: None, catalog: Catalog, tmp_path: Path, language: str, database: str
) -> None:
    """A project's own integration tests bring its compose stack up for real.

    compose.yaml: the database, a one-off migrate service, two app replicas and nginx;
    the project's `test_docker` command (pytest-docker for Python) builds the image, starts
    the stack under a throwaway name, sees both replicas answer through nginx, and tears
    it all down. Compose v1 (Debian's docker-compose) or v2, whichever is installed.
    """
    need_images(DATABASE_IMAGES[database])
    cell = first_cell(catalog, database, language=language)
    name = f"stack-{language}-{database}"  # one per test: they may run side by side
    project, commands, env = installed_project(catalog, cell, name, tmp_path)
    run_project_tests(commands["test_docker"], project, env)
    leftovers = docker("ps", "-aq", "--filter", f"name={name}-it-")
    assert leftovers == "", "the integration tests must tear their stack down"


# Where the tests' database server comes from, once per stack: tests/database_server.py
# (FastAPI, Flask and Django) and test/database-server.js (Express).
OWN_SERVER_CELLS = [
    ("fastapi", "postgres"),
    ("flask", "mysql"),
    ("django", "postgres"),
    ("django", "mysql"),
    ("express", "postgres"),
    ("express", "mysql"),
]


@pytest.mark.parametrize(("framework", "database"), OWN_SERVER_CELLS)
def test_tests_start_their_own_database_server(
    engine: None, catalog: Catalog, tmp_path: Path, framework: str, database: str
) -> None:
    """With no TEST_DATABASE_URL or DATABASE_URL, a project's tests start their server.

    They run one from compose.test.yaml (pytest-docker on Python, the test runner's
    wrapper on Node), pass against it with nothing skipped (CI=true turns a skip into a
    failure), and remove it afterwards.
    """
    need_images(DATABASE_IMAGES[database])
    cell = first_cell(catalog, database, framework=framework)
    name = f"own-{framework}-{database}"
    project, commands, env = installed_project(catalog, cell, name, tmp_path)
    env = {k: v for k, v in env.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL"}}
    env["CI"] = "true"
    run_project_tests(commands["test"], project, env)
    leftovers = docker("ps", "-aq", "--filter", f"name={name}-testdb-")
    assert leftovers == "", "the tests must remove the database server they started"


@pytest.mark.parametrize("database", ["sqlite", "postgres", "mysql"])
def test_compose_files_pass_compose_v1(catalog: Catalog, tmp_path: Path, database: str) -> None:
    """Debian ships only docker-compose v1: the generated compose.yaml must suit it too."""
    if shutil.which("docker-compose") is None:
        skip_or_fail("docker-compose is not installed (apt-get install docker-compose)")
    for framework in catalog.frameworks:
        cells = [
            c for c in catalog.combinations() if (c.framework, c.database) == (framework, database)
        ]
        if not cells:
            continue
        cell = cells[0]
        spec = catalog.resolve(cell.kind, "compose-check", framework=framework, database=database)
        project = generate(spec, tmp_path / framework / spec.name, git=False, catalog=catalog).path
        files = ["compose.yaml"] + (["compose.test.yaml"] if database != "sqlite" else [])
        for file in files:
            completed = subprocess.run(
                ["docker-compose", "-f", file, "config", "-q"],
                cwd=project,
                capture_output=True,
                text=True,
                check=False,
            )
            assert completed.returncode == 0, f"{cell} {file}: {completed.stderr}"


def test_the_toolkit_image_serves_downloads_and_stops_gracefully(engine: None) -> None:
    """`scaffold serve`'s own image (the repository's Dockerfile), built and run for real.

    The page and a download with its Git repository answer, the image runs as a user
    with a HEALTHCHECK, and `docker stop` (SIGTERM) ends both workers cleanly.
    """
    root = Path(__file__).resolve().parents[1]
    tag = f"scaffold-serve-check-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    docker("build", "-q", "-t", tag, str(root), timeout=900)
    build_seconds = time.perf_counter() - started
    size_mb = int(docker("image", "inspect", "--format", "{{.Size}}", tag)) / 1e6
    base_mb = int(docker("image", "inspect", "--format", "{{.Size}}", BASE_IMAGES["python"])) / 1e6
    record("scaffold-serve", {
        "build_seconds": round(build_seconds, 1),
        "image_mb": round(size_mb, 1),
        "added_to_base_mb": round(size_mb - base_mb, 1),
    })  # fmt: skip
    config = json.loads(docker("image", "inspect", "--format", "{{json .Config}}", tag))
    assert config["User"] not in {"", "root", "0"}, "the image must not run as root"
    assert config["Healthcheck"]["Test"], "the image needs a HEALTHCHECK"

    port = _free_port()
    env = {"SCAFFOLD_SERVE_HOST": "127.0.0.1", "SCAFFOLD_SERVE_PORT": str(port)}
    container = docker(
        "run", "-d", "--network", "host", *[f"-e{k}={v}" for k, v in env.items()], tag
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/health")
        with urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert b'<form id="form"' in page.read()
        url = f"http://127.0.0.1:{port}/starter.zip?kind=task-api&name=boxed&git=true"
        with urlopen(url, timeout=60) as answer:
            names = zipfile.ZipFile(io.BytesIO(answer.read())).namelist()
        assert "boxed/.git/HEAD" in names and "boxed/boxed/main.py" in names
        health = docker("inspect", "--format", "{{.State.Health.Status}}", container)
        assert health in {"starting", "healthy"}, health
        docker("stop", "-t", "40", container, timeout=60)
        assert docker("inspect", "--format", "{{.State.ExitCode}}", container) == "0"
        logs = subprocess.run(
            ["docker", "logs", container], capture_output=True, text=True, check=False
        )
        assert logs.stderr.count("Finished server process") == 2, logs.stderr[-3000:]
        assert '"GET /starter.zip?kind=task-api&name=boxed&git=true HTTP/1.1" 200' in logs.stdout
    finally:
        docker("rm", "-f", container, check=False)
        docker("rmi", "-f", "--no-prune", tag, check=False)
