"""The lifecycle commands through Click: exit codes, output, --json."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit._lifecycle as lifecycle
from toolkit import Catalog
from toolkit.cli import cli

from .lifecycle_support import copy_project, git

pytestmark = pytest.mark.usefixtures("fast_keys")


@pytest.fixture
def installed(v2: Catalog, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """Version 2 is "the installed toolkit's" catalog for the commands."""
    monkeypatch.setattr(lifecycle, "load_catalog", lambda: v2)
    return v2


@pytest.fixture
def project(originals: dict[bool, Path], tmp_path: Path) -> Path:
    return copy_project(originals[True], tmp_path)


def conflicting(project: Path) -> None:
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text().replace("return 8\n", "return 8000  # mine\n"))
    git(project, "commit", "-q", "-am", "mine")


def test_check_says_whether_an_update_exists(
    runner: CliRunner, project: Path, installed: Catalog
) -> None:
    result = runner.invoke(cli, ["check", str(project)])
    assert result.exit_code == 1
    assert "demo-app: the templates of scaffold" in result.output
    assert "scaffold diff shows the changes" in result.output
    data = json.loads(runner.invoke(cli, ["check", str(project), "--json"]).output)
    assert data["up_to_date"] is False and data["ok"] is False
    assert runner.invoke(cli, ["update", str(project)]).exit_code == 0
    done = runner.invoke(cli, ["check", str(project)])
    assert done.exit_code == 0 and "up to date" in done.output


def test_diff_prints_a_patch_and_writes_nothing(
    runner: CliRunner, project: Path, installed: Catalog
) -> None:
    before = git(project, "status", "--porcelain")
    result = runner.invoke(cli, ["diff", str(project)])
    assert result.exit_code == 0
    assert result.stdout.startswith("diff --git ")
    assert "+added in version 2" in result.stdout
    assert "would change" in result.stderr
    assert git(project, "status", "--porcelain") == before


def test_update_reports_the_commit_and_the_files(
    runner: CliRunner, project: Path, installed: Catalog
) -> None:
    result = runner.invoke(cli, ["update", str(project)])
    assert result.exit_code == 0, result.output
    commit = git(project, "rev-parse", "--short=7", "HEAD")
    assert f"commit {commit}" in result.output
    assert "  A demo_app/new_module.py" in result.output
    assert "  D doomed.txt" in result.output
    assert ".env: added NEW_TOKEN" in result.output


def test_conflicts_are_listed_with_their_hunks_and_exit_1(
    runner: CliRunner, project: Path, installed: Catalog
) -> None:
    conflicting(project)
    result = runner.invoke(cli, ["update", str(project)])
    assert result.exit_code == 1
    assert "1 file(s) conflict; nothing written" in result.output
    assert "CONFLICT (content) demo_app/routes.py" in result.output
    assert "    return 8000  # mine" in result.output and "    return 80  # v2" in result.output
    assert "--conflicts=markers" in result.output
    data = json.loads(runner.invoke(cli, ["update", str(project), "--json"]).output)
    assert data["ok"] is False and data["written"] is False
    assert data["conflicts"][0]["hunks"][0]["ours"] == "    return 8000  # mine\n"
    marked = runner.invoke(cli, ["update", str(project), "--conflicts=markers"])
    assert marked.exit_code == 1
    assert "Conflict markers written to demo_app/routes.py" in marked.output
    check = runner.invoke(cli, ["check", str(project)])
    assert check.exit_code == 1 and "conflict markers in demo_app/routes.py" in check.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["update", "--framework", "beta"], "changing the framework (alpha to beta)"),
        (["update", "--database", "three"], "is not offered"),
        (["add", "feature", "docs"], "already has the feature 'docs'"),
        (["remove", "feature", "wings"], "unknown feature 'wings'"),
    ],
)
def test_refusals_are_one_line_and_exit_2(
    runner: CliRunner, project: Path, installed: Catalog, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, [*args, str(project)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_dirty_tree_and_a_broken_answers_file_exit_2(
    runner: CliRunner, project: Path, installed: Catalog
) -> None:
    (project / "kept.txt").write_text("dirty\n")
    result = runner.invoke(cli, ["update", str(project)])
    assert result.exit_code == 2 and "--allow-dirty" in result.output
    (project / ".scaffold.json").write_text("[]")
    result = runner.invoke(cli, ["check", str(project)])
    assert result.exit_code == 2 and "not a valid answers file" in result.output


def test_add_and_remove_feature(runner: CliRunner, project: Path, installed: Catalog) -> None:
    added = runner.invoke(cli, ["add", "feature", "extra", str(project)])
    assert added.exit_code == 0, added.output
    assert "Add feature extra" in added.output and "  A extra.txt" in added.output
    assert git(project, "log", "-1", "--format=%s").startswith("Add feature extra")
    removed = runner.invoke(cli, ["remove", "feature", "docs", str(project), "--json"])
    assert removed.exit_code == 0
    data = json.loads(removed.output)
    assert data["message"] == "Remove feature docs"
    assert {"path": "docs/index.md", "action": "deleted", "merged": False} in data["changes"]


def test_ctrl_c_exits_130_and_leaves_nothing(
    runner: CliRunner, project: Path, installed: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = git(project, "status", "--porcelain", "--ignored")

    def interrupt(phase: str) -> None:
        if phase == "commit:index":
            raise KeyboardInterrupt

    monkeypatch.setattr(lifecycle, "phase_hook", interrupt)
    result = runner.invoke(cli, ["update", str(project)])
    assert result.exit_code == 130
    assert "Error: aborted" in result.output
    assert git(project, "status", "--porcelain", "--ignored") == before
