"""Docker for real: build a generated project's image, run it, contract-test the container.

Needs a Docker engine (``eval "$(bash scripts/docker/engine.sh start)"``) and, where no
registry is reachable, the local stand-ins of the base images
(``bash scripts/docker/base-images.sh``). One cell per framework runs here; figures
(build time, image size) are written to ``.bench/docker-images.json``.
"""

import json
import secrets
import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest

from toolkit import Catalog, generate, load_catalog, run_contract
from toolkit._model import build_model
from toolkit._verify import _free_port, _url_with

from .test_matrix import require_server, skip_or_fail

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / ".bench" / "docker-images.json"
BASE_IMAGES = {"python": "python:3.11-slim", "node": "node:20-slim"}
# What an image may add to its base image (the virtualenv or node_modules).
SIZE_BUDGET_MB = {"python": 160, "node": 80}
# One cell per framework: each database kind is covered (SQLite file in a volume,
# a server database reached over the host network).
CELLS = [
    ("task-api", "fastapi", "postgres"),
    ("task-api", "flask", "sqlite"),
    # On SQLite the image would build better-sqlite3 (a download, or a compiler).
    ("task-api", "express", "postgres"),
]


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
    for image in BASE_IMAGES.values():
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
    data = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    data[name] = figures
    FIGURES.write_text(json.dumps(data, indent=2) + "\n")


@pytest.mark.parametrize(("kind", "framework", "database"), CELLS)
def test_image_builds_runs_and_passes_the_contract(
    engine: None, catalog: Catalog, tmp_path: Path, kind: str, framework: str, database: str
) -> None:
    if not catalog.is_offered(kind, framework, database):
        pytest.skip(f"{kind}/{framework}/{database} is not offered")
    require_server(catalog, database)
    language = catalog.frameworks[framework].language
    spec = catalog.resolve(kind, "image-check", framework=framework, database=database)
    generated = generate(spec, tmp_path / spec.name, git=False, catalog=catalog)
    project = generated.path
    tag = f"scaffold-check-{uuid.uuid4().hex[:8]}"

    started = time.perf_counter()
    docker("build", "-q", "-t", tag, str(project), timeout=900)
    build_seconds = time.perf_counter() - started
    size_mb = int(docker("image", "inspect", "--format", "{{.Size}}", tag)) / 1e6
    base_mb = int(docker("image", "inspect", "--format", "{{.Size}}", BASE_IMAGES[language])) / 1e6
    record(f"{kind}/{framework}/{database}", {
        "build_seconds": round(build_seconds, 1),
        "image_mb": round(size_mb, 1),
        "added_to_base_mb": round(size_mb - base_mb, 1),
    })  # fmt: skip

    config = json.loads(docker("image", "inspect", "--format", "{{json .Config}}", tag))
    assert config["User"] not in {"", "root", "0"}, "the image must not run as root"
    assert config["Healthcheck"]["Test"], "the image needs a HEALTHCHECK"
    assert size_mb - base_mb <= SIZE_BUDGET_MB[language], f"{size_mb - base_mb:.0f} MB added"
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
        variables = build_model(catalog.layer_paths(spec)).vars
        env["DATABASE_URL"] = _url_with(
            server,
            scheme=variables["url_scheme"],
            path=f"/image_{tag[-8:]}",
            query=variables.get("url_query", ""),
        )
    flags = ["--network", "host", *volume, *[f"-e{k}={v}" for k, v in env.items()]]
    # The project's own commands, as its README documents them.
    commands = {name: shlex.split(command) for name, command in generated.commands.items()}
    container = None
    try:
        for step in ("create_database", "migrate", "create_admin"):
            docker("run", "--rm", *flags, tag, *commands[step], timeout=300)
        container = docker("run", "-d", *flags, tag)
        wait_healthy(f"http://127.0.0.1:{port}/health")
        ok, output = run_contract(
            kind, f"http://127.0.0.1:{port}", admin_email=admin_email, admin_password=admin_password
        )
        assert ok, output[-4000:]
        health = docker("inspect", "--format", "{{.State.Health.Status}}", container)
        assert health in {"starting", "healthy"}, health
    finally:
        if container:
            logs = docker("logs", container, check=False)
            docker("rm", "-f", container, check=False)
            print(logs[-2000:])
        docker("run", "--rm", *flags, tag, *commands["drop_database"], check=False)
        if volume:
            docker("volume", "rm", "-f", volume[1].split(":")[0], check=False)
        docker("rmi", "-f", tag, check=False)


def test_the_catalog_offers_the_docker_cells() -> None:
    catalog = load_catalog()
    assert all(catalog.is_offered(*cell) for cell in CELLS)


@pytest.mark.parametrize("database", ["sqlite", "postgres", "mysql"])
def test_compose_files_pass_compose_v1(catalog: Catalog, tmp_path: Path, database: str) -> None:
    """Debian ships only docker-compose v1: the generated compose.yaml must suit it too."""
    if shutil.which("docker-compose") is None:
        skip_or_fail("docker-compose is not installed (apt-get install docker-compose)")
    cell = next(c for c in catalog.combinations() if c.database == database)
    spec = catalog.resolve(cell.kind, "compose-check", framework=cell.framework, database=database)
    generated = generate(spec, tmp_path / spec.name, git=False, catalog=catalog)
    project = generated.path
    completed = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=project, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
