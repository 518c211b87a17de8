"""The example layer pack (tests/packs/url-shortener): listed, generated, updated, and proven.

The slow test installs it as a real package, whose entry point scaffold finds, in a
fresh environment, and runs what the pack's own CI would: ``scaffold verify --matrix``.
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import PackError, check, load_catalog, update, verify
from toolkit._answers import read_record
from toolkit._matrix import pack_combinations
from toolkit._packs import TEMPLATES_ENV
from toolkit.cli import cli

from .conftest import git
from .test_matrix import require_server, run, tool

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = ROOT / "tests" / "packs" / "url-shortener"
PACK = DISTRIBUTION / "scaffold_url_shortener"
IDENTITY = ["-c", "user.name=Tester", "-c", "user.email=tester@example.com"]
LINKS_SERVICE = "url-shortener/sqlalchemy/{{ project.package }}/services/links.py"


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_the_pack_is_listed_with_its_source(runner: CliRunner) -> None:
    result = invoke(runner, "--templates", str(PACK), "list")
    assert result.exit_code == 0
    assert (
        "  url-shortener  URL shortener: Short links that redirect, counted visits, owned by "
        "their users [pack url-shortener]"
    ) in result.output
    assert f"Layer packs:\n  url-shortener  1.0.0, folder {PACK}: {PACK}\n" in result.output
    assert "  fastapi        FastAPI: " in result.output  # built-in entries carry no mark
    data = json.loads(invoke(runner, "--templates", str(PACK), "list", "--json").output)
    assert data["kinds"]["url-shortener"]["source"] == "url-shortener"
    assert data["kinds"]["task-api"]["source"] == "scaffold"
    assert [s["name"] for s in data["sources"]] == ["scaffold", "url-shortener"]
    assert {"kind": "url-shortener", "framework": "fastapi", "database": "sqlite"} in (
        data["offered"]
    )
    info = invoke(runner, "--templates", str(PACK), "info", "url-shortener")
    assert f"From pack 'url-shortener' 1.0.0 (folder {PACK})" in info.output
    assert "GET    /r/{code}" in info.output
    # --templates holds for its command only.
    assert TEMPLATES_ENV not in os.environ
    assert "url-shortener" not in invoke(runner, "list").output


def test_without_the_pack_its_kind_is_unknown_and_its_projects_say_why(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = invoke(runner, "--templates", str(PACK), "new", "url-shortener", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    project = tmp_path / "url-shortener"
    assert (project / "url_shortener" / "api" / "routes" / "links.py").is_file()
    assert read_record(project).packs == {"url-shortener": "1.0.0"}
    built_in = invoke(
        runner, "--templates", str(PACK), "new", "task-api", "-o", str(tmp_path), "--no-git"
    )
    assert built_in.exit_code == 0
    assert "packs" not in json.loads((tmp_path / "task-api" / ".scaffold.json").read_text())
    unknown = runner.invoke(cli, ["new", "url-shortener", "-o", str(tmp_path / "x")])
    assert unknown.exit_code == 2 and "unknown kind 'url-shortener'" in unknown.stderr
    for args in (["verify", str(project)], ["check", str(project)], ["update", str(project)]):
        refused = runner.invoke(cli, args)
        assert refused.exit_code == 2, args
        assert refused.stderr == (
            "Error: url-shortener was made with the layer pack 'url-shortener' 1.0.0, which is "
            "not installed: pip install it, or name its folder with --templates "
            "(SCAFFOLD_TEMPLATES)\n"
        )
    with pytest.raises(PackError):
        verify(project)


def test_the_distribution_and_the_folder_give_one_version() -> None:
    project = tomllib.loads((DISTRIBUTION / "pyproject.toml").read_text())["project"]
    pack = tomllib.loads((PACK / "catalog.toml").read_text())["pack"]
    assert project["version"] == pack["version"]
    points = project["entry-points"]["scaffold.templates"]
    assert points == {pack["name"]: "scaffold_url_shortener"}


def test_the_matrix_of_a_pack_is_its_own_cells(runner: CliRunner) -> None:
    catalog = load_catalog(packs=[PACK])
    assert [str(c) for c in pack_combinations(catalog)] == ["url-shortener/fastapi/sqlite"]
    assert pack_combinations(catalog, "url-shortener") == pack_combinations(catalog)
    refused = runner.invoke(cli, ["verify", "--matrix"])
    assert refused.exit_code == 2
    assert "no layer pack to verify" in refused.stderr
    refused = runner.invoke(cli, ["verify", "--matrix", "--cell", "task-api"])
    assert refused.exit_code == 2 and "a cell is KIND/FRAMEWORK/DATABASE" in refused.stderr
    refused = runner.invoke(cli, ["verify", ".", "--matrix"])
    assert refused.exit_code == 2 and "give no PATH" in refused.stderr
    refused = runner.invoke(cli, ["--templates", str(PACK), "verify", "--matrix", "--pack", "x"])
    assert refused.exit_code == 2 and "unknown pack 'x'; choose from: url-shortener" in (
        refused.stderr
    )


LINKS_TESTS = "url-shortener/python/tests/api/test_links.py"


def release_v2(target: Path) -> Path:
    """Version 1.1.0 of the pack: longer made-up codes, and its test of them."""
    copy_pack(target, "1.1.0")
    for relative, old, new in [
        (LINKS_SERVICE, "MADE_UP_LENGTH = 7", "MADE_UP_LENGTH = 8"),
        (LINKS_TESTS, 'len(link["code"]) == 7', 'len(link["code"]) == 8'),
    ]:
        path = target / relative
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    return target


def copy_pack(target: Path, version: str) -> Path:
    shutil.copytree(PACK, target)
    catalog = target / "catalog.toml"
    catalog.write_text(catalog.read_text().replace('version = "1.0.0"', f'version = "{version}"'))
    return target


def test_a_project_follows_its_pack_to_a_new_version(tmp_path: Path) -> None:
    v1 = copy_pack(tmp_path / "pack-v1", "1.0.0")
    catalog = load_catalog(packs=[v1])
    spec = catalog.resolve("url-shortener", "links")
    from toolkit import generate

    project = generate(spec, tmp_path / "links", catalog=catalog).path
    routes = project / "links" / "api" / "routes" / "links.py"
    routes.write_text(routes.read_text().replace('summary="Follow a link"', 'summary="Go"'))
    git(project, "add", "-A")
    git(project, *IDENTITY, "commit", "-q", "-m", "my summary")
    assert check(project, catalog=catalog).ok
    newer = load_catalog(packs=[release_v2(tmp_path / "pack-v2")])
    assert not check(project, catalog=newer).ok
    result = update(project, catalog=newer)
    assert result.ok and result.written
    assert result.message == "Update pack url-shortener from 1.0.0 to 1.1.0"
    assert {c.path for c in result.changes} == {
        ".scaffold.json",
        "links/services/links.py",
        "tests/api/test_links.py",
    }
    assert "MADE_UP_LENGTH = 8" in (project / "links" / "services" / "links.py").read_text()
    assert 'summary="Go"' in routes.read_text()
    assert read_record(project).packs == {"url-shortener": "1.1.0"}
    assert git(project, "log", "-1", "--format=%s") == result.message
    assert check(project, catalog=newer).ok


@pytest.mark.slow
def test_a_project_of_the_pack_is_verified_through_an_update(tmp_path: Path) -> None:
    """From nothing to a verified project, edited, updated to the pack's next version,
    and verified again before the update is committed (update --verify)."""
    from toolkit import generate

    v1 = copy_pack(tmp_path / "pack-v1", "1.0.0")
    catalog = load_catalog(packs=[v1])
    project = generate(catalog.resolve("url-shortener", "links"), tmp_path / "links",
                       catalog=catalog).path  # fmt: skip
    first = verify(project, catalog=catalog)
    assert first.ok, [f"{s.name}: {s.detail}" for s in first.steps if not s.ok]
    routes = project / "links" / "api" / "routes" / "links.py"
    routes.write_text(routes.read_text().replace('summary="Follow a link"', 'summary="Go"'))
    git(project, "add", "-A")
    git(project, *IDENTITY, "commit", "-q", "-m", "my summary")
    v2 = release_v2(tmp_path / "pack-v2")
    result = update(project, catalog=load_catalog(packs=[v2]), verify=True)
    assert result.verification is not None and result.verification.ok, [
        f"{s.name}: {s.detail}" for s in result.verification.steps if not s.ok
    ]
    assert result.ok and result.commit is not None
    assert (
        git(project, "log", "-1", "--format=%s") == "Update pack url-shortener from 1.0.0 to 1.1.0"
    )


@pytest.mark.slow
def test_the_pack_installed_as_a_package_is_found_and_proven(tmp_path: Path) -> None:
    """What the pack's CI runs: install it beside scaffold, then scaffold verify --matrix."""
    require_server(load_catalog(), "sqlite")
    uv = tool("uv")
    venv = tmp_path / "venv"
    run([uv, "venv", "-q", "--python", sys.executable, str(venv)], tmp_path)
    python = str(venv / "bin" / "python")
    # Built afresh from these folders: uv's cache keys a folder's build on its metadata,
    # so a wheel built before a template changed could be installed again.
    fresh = [
        "--reinstall-package",
        "scaffold-toolkit",
        "--reinstall-package",
        "scaffold-url-shortener",
    ]
    run(
        [uv, "pip", "install", "-q", *fresh, "--python", python, str(ROOT), str(DISTRIBUTION)],
        tmp_path,
    )
    scaffold = str(venv / "bin" / "scaffold")
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", TEMPLATES_ENV}}
    listed = subprocess.run(
        [scaffold, "list", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    sources = json.loads(listed.stdout)["sources"]
    assert sources[1]["origin"] == "entry point 'url-shortener' of scaffold-url-shortener 1.0.0"
    assert Path(sources[1]["root"]).is_relative_to(venv)  # the installed copy, not this folder
    completed = subprocess.run(
        [scaffold, "verify", "--matrix", "--pack", "url-shortener", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(completed.stdout)
    failed = [
        f"{step['name']}: {step['command']}\n{step['detail']}"
        for cell in report["cells"]
        for step in (cell["verification"] or {"steps": []})["steps"]
        if not step["ok"]
    ]
    assert completed.returncode == 0 and report["ok"], "\n".join(failed) or completed.stderr
    assert [cell["cell"] for cell in report["cells"]] == ["url-shortener/fastapi/sqlite"]
    steps = [step["name"] for step in report["cells"][0]["verification"]["steps"]]
    assert "contract" in steps
    contract = next(
        s for s in report["cells"][0]["verification"]["steps"] if s["name"] == "contract"
    )
    assert "passed" in contract["detail"]


def test_scaffold_serve_offers_the_pack_and_says_so() -> None:
    from toolkit.web._app import ServeSettings, create_app

    from .web_support import client

    with client(create_app(ServeSettings(), catalog=load_catalog(packs=[PACK]))) as api:
        data = api.get("/metadata").json()
        assert data["kinds"]["url-shortener"]["source"] == "url-shortener"
        assert data["frameworks"]["fastapi"]["source"] == "scaffold"
        assert [s["name"] for s in data["sources"]] == ["scaffold", "url-shortener"]
        preview = api.get("/preview?kind=url-shortener&name=links")
        assert preview.status_code == 200, preview.text
        assert "links/api/routes/links.py" in preview.text
        refused = api.get("/spec?kind=url-shortener&framework=flask")
        assert refused.status_code == 400
        assert "not offered" in refused.json()["detail"]


def test_the_packs_reference_agrees_with_scaffolds_on_the_shared_endpoints() -> None:
    """The shared layers serve auth, users, /health and /ready alike in every kind: a
    change to them that refreshed the built-in references but not the pack's fails here,
    fast, instead of in the pack's slow verify."""
    from toolkit._openapi import load_reference

    pack = json.loads((PACK / "contracts" / "url_shortener" / "openapi.json").read_text())
    builtin = load_reference("task-api")
    shared = [path for path in builtin["paths"] if path.startswith(("/auth/", "/users"))]
    shared += ["/health", "/ready"]
    for path in shared:
        assert pack["paths"].get(path) == builtin["paths"][path], (
            f"{path} differs: refresh the pack's reference (docs/packs.md)"
        )
