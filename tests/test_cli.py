"""The command line, through Click's CliRunner: output, exit codes, and bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit.cli as cli_module
from toolkit import __version__, load_catalog
from toolkit.cli import cli

from .conftest import build_file_tree, git


def invoke(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for command in ("new", "list", "info", "verify", "contract", "completion"):
        assert command in result.output


def test_help_examples_keep_their_lines(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    lines = result.output.splitlines()
    assert "\\b" not in result.output
    for command in ("scaffold list", "scaffold new task-api my-tasks", "scaffold verify my-tasks"):
        assert any(line.strip().startswith(command) for line in lines), result.output


def test_list_shows_the_matrix(runner: CliRunner) -> None:
    result = invoke(runner, "list")
    assert result.exit_code == 0
    assert "task-api" in result.output and "fastapi" in result.output
    listed = json.loads(invoke(runner, "list", "--json").output)
    assert {"kind": "task-api", "framework": "flask", "database": "sqlite"} in listed["offered"]
    # An opt-in feature, with where it is not offered.
    assert "ratelimit     Rate limits" in result.output
    ratelimit = listed["features"]["ratelimit"]
    assert ratelimit["default"] is False and ratelimit["not_offered"] == {}
    assert listed["features"]["k8s"]["not_offered"]["database"].keys() == {"sqlite"}


def test_info_shows_the_endpoints(runner: CliRunner) -> None:
    result = invoke(runner, "info", "task-api")
    assert result.exit_code == 0
    assert "/tasks/{task_id}" in result.output and "PATCH" in result.output
    assert "ratelimit  Rate limits\n" in result.output
    assert "k8s        Kubernetes (needs docker; not on sqlite)" in result.output
    data = json.loads(invoke(runner, "info", "task-api", "--json").output)
    assert data["offered"]["fastapi"] == ["sqlite", "postgres", "mysql"]


def test_new_with_defaults(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "new", "task-api", "--no-input", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    project = tmp_path / "task-api"
    assert (project / "task_api" / "main.py").is_file()
    assert "Created task-api (task-api, fastapi, sqlite)" in result.output
    assert " verify ." in result.output
    assert git(project, "log", "--oneline").count("\n") == 0


def test_the_entry_point_generates_and_exits_with_clicks_codes(tmp_path: Path) -> None:
    # main() itself (the console script), not Click's test runner: a real process.
    def scaffold(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, check=False
        )

    made = scaffold("new", "task-api", "p", "--no-input", "-o", str(tmp_path))
    assert made.returncode == 0, made.stderr
    assert "commit" in made.stdout and made.stderr == ""
    assert git(tmp_path / "p", "status", "--porcelain") == ""
    again = scaffold("new", "task-api", "p", "--no-input", "-o", str(tmp_path))
    assert again.returncode == 2
    assert again.stderr.startswith("Error: destination ") and again.stdout == ""


def next_lines(output: str) -> list[str]:
    """The lines printed under "Next:", without their indent."""
    return [line.strip() for line in output.split("\nNext:\n", 1)[1].splitlines()]


def fake_program(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    return program


def test_next_steps_use_uv_only_where_the_shell_finds_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = invoke(runner, "new", "task-api", "a", "--no-input", "--no-git", "-o", str(tmp_path))
    assert next_lines(result.output)[1].startswith("python3 -m venv .venv && .venv/bin/pip ")
    fake_program(tmp_path / "bin", "uv")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    result = invoke(runner, "new", "task-api", "b", "--no-input", "--no-git", "-o", str(tmp_path))
    assert next_lines(result.output)[1] == "uv sync --locked --extra dev"


def test_next_steps_name_the_scaffold_that_ran(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A virtual environment that is not activated: its scaffold is not on PATH.
    program = fake_program(tmp_path / "my env" / "bin", "scaffold")
    monkeypatch.setattr(sys, "argv", [str(program), "new"])
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "out"
    result = invoke(runner, "new", "task-api", "a", "--no-input", "--no-git", "-o", str(out))
    assert next_lines(result.output)[-1] == f"'{program}' verify ."
    # The same scaffold found on PATH is called by its name.
    monkeypatch.setenv("PATH", str(program.parent))
    result = invoke(runner, "new", "task-api", "b", "--no-input", "--no-git", "-o", str(out))
    assert next_lines(result.output)[-1] == "scaffold verify ."
    # Run as a module: this Python with -m toolkit.
    monkeypatch.setattr(sys, "argv", ["/somewhere/toolkit/__main__.py"])
    result = invoke(runner, "new", "task-api", "c", "--no-input", "--no-git", "-o", str(out))
    assert next_lines(result.output)[-1] == f"{sys.executable} -m toolkit verify ."


def test_a_database_url_goes_to_env_only_in_the_stacks_spelling(
    runner: CliRunner, tmp_path: Path
) -> None:
    url = "postgresql://me:s3cr%40t@db.example:5433/tasks"
    args = ["-d", "postgres", "--no-input", "-o", str(tmp_path), "--database-url", url]
    result = invoke(runner, "new", "task-api", "pg", *args)
    assert result.exit_code == 0, result.output
    project = tmp_path / "pg"
    env = (project / ".env").read_text().splitlines()
    assert "DATABASE_URL=postgresql+psycopg://me:s3cr%40t@db.example:5433/tasks" in env
    committed = subprocess.run(
        ["git", "grep", "-l", "db.example", "HEAD"], cwd=project, capture_output=True, text=True
    )
    assert committed.stdout == "", committed.stdout  # .env is git-ignored; nothing else has it
    assert "s3cr" not in result.output
    result = invoke(runner, "new", "task-api", "my", "-d", "mysql", "-f", "express", *args[2:])
    assert result.exit_code == 2 and "a MySQL URL starts with mysql://" in result.stderr


def test_new_json(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(
        runner, "new", "task-api", "svc", "-f", "flask", "-o", str(tmp_path), "--json", "--no-git"
    )
    data = json.loads(result.output)
    assert data["spec"]["framework"] == "flask"
    assert data["commit"] is None
    assert "svc/main.py" in data["files"]
    assert data["commands"]["serve"] == "gunicorn 'svc.main:create_app()'"


def test_dry_run_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "new", "task-api", "dry", "-o", str(tmp_path), "--dry-run")
    assert result.exit_code == 0
    assert result.output.startswith("dry/\n")
    assert "dry run" in result.output
    assert list(tmp_path.iterdir()) == []
    data = json.loads(
        invoke(runner, "new", "task-api", "-o", str(tmp_path), "--dry-run", "--json").output
    )
    assert data["dry_run"] is True and "Dockerfile" in data["files"]
    assert list(tmp_path.iterdir()) == []


def test_prompts_when_interactive(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    result = runner.invoke(
        cli, ["new", "task-api", "-o", str(tmp_path), "--no-git"], input="my-svc\nflask\n\n"
    )
    assert result.exit_code == 0, result.output
    assert "Project name [task-api]" in result.output
    offered = ", ".join(load_catalog().kind("task-api").offered)
    assert f"Framework ({offered}) [fastapi]" in result.output
    assert "Database (sqlite, postgres, mysql) [sqlite]" in result.output
    answers = json.loads((tmp_path / "my-svc" / ".scaffold.json").read_text())
    assert (answers["name"], answers["framework"], answers["database"]) == (
        "my-svc",
        "flask",
        "sqlite",
    )


def test_prompts_refuse_a_choice_that_is_not_offered(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    result = runner.invoke(
        cli, ["new", "task-api", "-o", str(tmp_path), "--no-git"], input="p\nrails\nflask\n\n"
    )
    assert result.exit_code == 0
    offered = ", ".join(f"'{framework}'" for framework in load_catalog().kind("task-api").offered)
    assert f"'rails' is not one of {offered}" in result.output


def test_no_input_never_prompts(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    result = invoke(runner, "new", "task-api", "-o", str(tmp_path), "--no-input", "--no-git")
    assert result.exit_code == 0
    assert "Project name" not in result.output


def test_completion_script(runner: CliRunner) -> None:
    result = invoke(runner, "completion", "bash")
    assert result.exit_code == 0
    assert "_SCAFFOLD_COMPLETE" in result.output


def test_force_through_the_cli(runner: CliRunner, tmp_path: Path) -> None:
    build_file_tree(tmp_path / "task-api", {"notes.txt": "mine"})
    result = invoke(runner, "new", "task-api", "--no-input", "-o", str(tmp_path), "--force")
    assert result.exit_code == 0
    assert (tmp_path / "task-api" / "notes.txt").read_text() == "mine"


# -- bad input: one line on stderr, exit 2, nothing written ---------------------------------

KINDS = ", ".join(sorted(load_catalog().kinds))
FRAMEWORKS = ", ".join(sorted(load_catalog().frameworks))
BAD_INPUTS = [
    (["new", "blog-apy"], f"unknown kind 'blog-apy'; choose from: {KINDS}"),
    (
        ["new", "task-api", "-f", "djangoo"],
        f"unknown framework 'djangoo'; choose from: {FRAMEWORKS}",
    ),
    (
        ["new", "task-api", "-d", "oracle"],
        "unknown database 'oracle'; choose from: mysql, postgres, sqlite",
    ),
    (
        ["new", "task-api", "--feature", "nix"],
        "unknown feature 'nix'; choose from: "
        "cache, ci, docker, jwks, k8s, metrics, queue, ratelimit",
    ),
    (
        ["new", "task-api", "--without", "nix"],
        "unknown feature 'nix'; choose from: "
        "cache, ci, docker, jwks, k8s, metrics, queue, ratelimit",
    ),
    (["new", "task-api", "../escape"], "invalid project name '../escape': give a plain name"),
    (["new", "task-api", "/abs/path"], "invalid project name '/abs/path': give a plain name"),
    (["new", "task-api", ""], "project name is empty"),
    (["new", "task-api", "My API"], "invalid project name 'My API': use lowercase letters"),
    (["new", "task-api", "2fast"], "invalid project name '2fast'"),
    (["new", "task-api", "my--api"], "single hyphens"),
    (["new", "task-api", "class"], "'class' is a Python keyword"),
    (["new", "task-api", "json"], "it would shadow the 'json' module"),
    (["new", "task-api", "nul"], "reserved device name"),
    (["new", "task-api", "a" * 60], "longer than 50 characters"),
    (
        ["new", "task-api", "-d", "postgres", "--database-url", "mysql://me:secret@h:3306/x"],
        "invalid database URL mysql://me:***@h:3306/x: a PostgreSQL URL starts with postgresql://",
    ),
    (
        ["new", "task-api", "-d", "mysql", "--database-url", "mysql://me@h"],
        "invalid database URL mysql://me@h: it needs a host and a database name",
    ),
    (["new", "task-api", "--database-url", "app.db"], "a SQLite URL starts with sqlite://"),
    (
        ["new", "task-api", "--frmework", "flask"],
        "No such option '--frmework'. Did you mean '--framework'?",
    ),
    (["new"], "Missing argument 'KIND'"),
    (["info", "nope"], f"unknown kind 'nope'; choose from: {KINDS}"),
    (["completion", "powershell"], "'powershell' is not one of 'bash', 'zsh', 'fish'"),
    (["frobnicate"], "No such command 'frobnicate'"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if args and args[0] == "new":
        args = [*args, "--no-input", "-o", str(out)]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert list(out.iterdir()) == []


def test_a_non_empty_destination_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    build_file_tree(tmp_path / "task-api", {"notes.txt": "mine"})
    result = runner.invoke(cli, ["new", "task-api", "--no-input", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "use --force" in result.stderr
    assert sorted(p.name for p in (tmp_path / "task-api").iterdir()) == ["notes.txt"]


def test_a_file_as_output_dir_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = runner.invoke(cli, ["new", "task-api", "--no-input", "-o", str(tmp_path / "file")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert (tmp_path / "file").read_text() == "x"


def test_verify_refuses_a_folder_that_is_not_a_project(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["verify", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a scaffold project (no .scaffold.json)" in result.stderr


def test_verify_refuses_a_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["verify", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
