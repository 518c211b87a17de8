"""What the tests of `scaffold serve` share: a catalog with gaps, a live server, archives."""

import dataclasses
import socket
import stat
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

import uvicorn

from toolkit import Catalog, ProjectSpec
from toolkit._model import build_model

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 in its test client; httpx works the same here.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from .test_matrix import skip_or_fail

# Offered by the real catalog, left out here: the page and the API must refuse them
# with the CLI's reason (every cell of the real catalog is offered today).
GAPS = {"blog-api": {"express": None, "flask": ("sqlite",)}}


def catalog_with_gaps(catalog: Catalog) -> Catalog:
    """The real catalog, with blog-api not offered on Express, and on Flask only on SQLite."""
    kinds = {}
    for kind_id in catalog.kinds:
        kind = catalog.kinds[kind_id]
        gaps = GAPS.get(kind_id)
        if gaps:
            offered = {
                fw: gaps.get(fw, dbs) for fw, dbs in kind.offered.items() if gaps.get(fw, dbs)
            }
            kind = dataclasses.replace(kind, offered=MappingProxyType(offered))
        kinds[kind_id] = kind
    return dataclasses.replace(catalog, kinds=MappingProxyType(kinds))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(app: object) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread of this process; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def unpack(archive: Path, into: Path) -> Path:
    """Unpack with the tools a user has (unzip, tar), which honour the recorded modes."""
    into.mkdir(parents=True, exist_ok=True)
    if archive.suffix == ".zip":
        tool = ["unzip", "-q", str(archive), "-d", str(into)]
    else:
        tool = ["tar", "-xzf", str(archive), "-C", str(into)]
    if subprocess.run(["which", tool[0]], capture_output=True).returncode:
        skip_or_fail(f"{tool[0]} is not installed")
    subprocess.run(tool, check=True)
    return into


def files_of(root: Path) -> dict[str, tuple[bytes, bool]]:
    """Every file below ``root`` but ``.git``: its bytes, and whether it is executable."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(".git/"):
            found[relative] = (path.read_bytes(), bool(path.stat().st_mode & stat.S_IXUSR))
    return found


def secret_names(catalog: Catalog, spec: ProjectSpec) -> tuple[set[str], set[str]]:
    """The variables of ``.env`` made fresh per project, and the files made fresh."""
    model = build_model(catalog.layer_paths(spec))
    fresh_vars = {name for name, var in model.env.items() if var.generate is not None}
    return fresh_vars, set(model.generate)


def assert_same_but_secrets(got: Path, expected: Path, catalog: Catalog, spec: ProjectSpec) -> None:
    """Two written projects are alike byte for byte and mode for mode, secrets aside."""
    fresh_vars, fresh_files = secret_names(catalog, spec)
    mine, theirs = files_of(got), files_of(expected)
    assert sorted(mine) == sorted(theirs)
    for relative, (content, executable) in theirs.items():
        assert mine[relative][1] == executable, f"{relative}: executable bit"
        if relative in fresh_files:
            assert mine[relative][0] != content, f"{relative} must be made fresh"
        elif relative == ".env":
            for line, other in zip(
                mine[relative][0].decode().splitlines(), content.decode().splitlines(), strict=True
            ):
                name = line.split("=", 1)[0]
                if name in fresh_vars:
                    assert other.startswith(f"{name}=") and line != other, name
                else:
                    assert line == other
        else:
            assert mine[relative][0] == content, relative


def client(app: object) -> TestClient:
    return TestClient(app)
