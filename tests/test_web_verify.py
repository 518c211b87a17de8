"""Downloads that work: a zip per framework passes `scaffold verify`; the wheel serves the page.

Slow: each cell installs, tests, serves and contract-tests a whole project (about 40 s).
"""

import http.client
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit import Catalog, load_catalog, verify
from toolkit.web._app import ServeSettings, create_app

from .test_matrix import node_prebuilds, prepare, require_server, run, tool
from .web_support import client, free_port, unpack

pytestmark = pytest.mark.slow
__all__ = ["node_prebuilds"]  # the matrix's fixture, which prepare() asks for

# One cell per framework, the kinds and databases taking turns.
CELLS = [
    ("auth-service", "fastapi", "sqlite"),
    ("blog-api", "flask", "postgres"),
    ("inventory", "django", "mysql"),
    ("payments", "express", "sqlite"),
]


def test_one_cell_per_framework() -> None:
    catalog = load_catalog()
    assert sorted(c[1] for c in CELLS) == sorted(catalog.frameworks)
    assert all(catalog.is_offered(*cell) for cell in CELLS)


@pytest.mark.parametrize(("kind", "framework", "database"), CELLS, ids=["/".join(c) for c in CELLS])
def test_a_downloaded_zip_passes_verify(
    catalog: Catalog,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    kind: str,
    framework: str,
    database: str,
) -> None:
    require_server(catalog, database)
    prepare(catalog, framework, request)
    with client(create_app(ServeSettings())) as api:
        response = api.get(
            f"/starter.zip?kind={kind}&name=from-zip&framework={framework}&database={database}"
        )
    assert response.status_code == 200, response.text
    archive = tmp_path / "from-zip.zip"
    archive.write_bytes(response.content)
    project = unpack(archive, tmp_path / "unzipped") / "from-zip"
    report = verify(project)
    failed = [step for step in report.steps if not step.ok]
    assert report.ok, "\n\n".join(f"{s.name}: {s.command}\n{s.detail}" for s in failed)


def test_the_wheel_with_the_web_extra_serves_the_page(tmp_path: Path) -> None:
    uv = tool("uv")
    root = Path(__file__).resolve().parents[1]
    run([uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(root)], root)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    venv = tmp_path / "venv"
    python = str(venv / "bin" / "python")
    run([uv, "venv", "-q", "--python", sys.executable, str(venv)], tmp_path)
    run([uv, "pip", "install", "-q", "--python", python, str(wheel)], tmp_path)
    scaffold = str(venv / "bin" / "scaffold")
    plain = subprocess.run([scaffold, "serve"], capture_output=True, text=True, check=False)
    assert plain.returncode == 1
    assert "pip install 'scaffold-toolkit[web]'" in plain.stderr

    run([uv, "pip", "install", "-q", "--python", python, f"{wheel}[web]"], tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [scaffold, "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answers = {}
        deadline = time.monotonic() + 60
        for path in ("/health", "/", "/static/app.js", "/static/app.css", "/highlight.css",
                     "/starter.zip?kind=task-api"):  # fmt: skip
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    connection.request("GET", path)
                    answer = connection.getresponse()
                    answers[path] = (answer.status, answer.read())
                    break
                except ConnectionRefusedError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
    assert server.returncode == 0, errors
    assert {path: status for path, (status, _) in answers.items()} == dict.fromkeys(answers, 200)
    assert b'<form id="form"' in answers["/"][1]
    assert answers["/starter.zip?kind=task-api"][1].startswith(b"PK")
