"""Writing safely and the first commit: nothing half-written, nothing of the user's lost."""

import os
from pathlib import Path

import pytest

import toolkit._generate as generate_module
import toolkit._write as write_module
from toolkit import Catalog, DestinationError, GitError, generate

from .conftest import build_file_tree, git


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_generate_writes_every_file_and_commits(catalog: Catalog, tmp_path: Path) -> None:
    spec = catalog.resolve("task-api", "my-tasks")
    result = generate(spec, tmp_path / "my-tasks", catalog=catalog)
    assert result.path == tmp_path / "my-tasks"
    for relative in result.files:
        assert (result.path / relative).is_file(), relative
    assert result.commit and len(result.commit) == 40
    assert git(result.path, "rev-parse", "HEAD") == result.commit
    assert git(result.path, "branch", "--show-current") == "main"
    message = git(result.path, "log", "-1", "--format=%s")
    assert message.startswith("Initial commit from scaffold ")
    assert message.endswith("(task-api, fastapi, sqlite)")
    assert leftovers(tmp_path) == ["my-tasks"]  # no staging folder left beside it


def test_the_commit_id_comes_from_git_when_the_refs_are_no_files(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import git as gitpython

    def unreadable(cls: type, repo: object, ref_path: str) -> str:
        raise ValueError(f"Reference at {ref_path!r} does not exist")  # as with a reftable

    monkeypatch.setattr(
        gitpython.SymbolicReference, "dereference_recursive", classmethod(unreadable)
    )
    result = generate(catalog.resolve("task-api", "p"), tmp_path / "p", catalog=catalog)
    assert result.commit == git(result.path, "rev-parse", "HEAD")


def test_the_commit_holds_everything_but_the_secrets(catalog: Catalog, tmp_path: Path) -> None:
    result = generate(catalog.resolve("task-api", "p"), tmp_path / "p", catalog=catalog)
    tracked = set(git(result.path, "ls-files").splitlines())
    assert ".env" not in tracked
    assert {".env.example", ".gitignore", ".scaffold.json", "Dockerfile"} <= tracked
    assert tracked == set(result.files) - {".env"}
    assert git(result.path, "status", "--porcelain") == ""


def test_without_a_git_identity_a_local_one_is_used_once(
    catalog: Catalog, tmp_path: Path, isolated_home: Path
) -> None:
    result = generate(catalog.resolve("task-api", "p"), tmp_path / "p", catalog=catalog)
    assert git(result.path, "log", "-1", "--format=%an <%ae>") == "scaffold <scaffold@localhost>"
    assert not (isolated_home / ".gitconfig").exists()  # the user's config is untouched
    assert "user.name" not in git(result.path, "config", "--list", "--local")


def test_the_users_identity_is_used_when_there_is_one(
    catalog: Catalog, tmp_path: Path, isolated_home: Path
) -> None:
    (isolated_home / ".gitconfig").write_text("[user]\n\tname = Ada\n\temail = ada@example.com\n")
    result = generate(catalog.resolve("task-api", "p"), tmp_path / "p", catalog=catalog)
    assert git(result.path, "log", "-1", "--format=%an <%ae>") == "Ada <ada@example.com>"


def test_no_git(catalog: Catalog, tmp_path: Path) -> None:
    result = generate(catalog.resolve("task-api", "p"), tmp_path / "p", git=False, catalog=catalog)
    assert result.commit is None
    assert not (result.path / ".git").exists()


def test_no_nested_repository_inside_an_existing_one(catalog: Catalog, tmp_path: Path) -> None:
    monorepo = tmp_path / "mono"
    monorepo.mkdir()
    git(monorepo, "init", "-q")
    result = generate(
        catalog.resolve("task-api", "p"), monorepo / "services" / "p", catalog=catalog
    )
    assert result.commit is None
    assert result.git_note and str(monorepo) in result.git_note
    assert not (result.path / ".git").exists()


def test_a_non_empty_destination_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    dest = build_file_tree(tmp_path / "p", {"notes.txt": "mine"})
    with pytest.raises(DestinationError, match="not empty; use --force"):
        generate(catalog.resolve("task-api", "p"), dest, catalog=catalog)
    assert leftovers(dest) == ["notes.txt"]
    assert leftovers(tmp_path) == ["p"]


def test_an_empty_destination_is_fine(catalog: Catalog, tmp_path: Path) -> None:
    dest = tmp_path / "p"
    dest.mkdir()
    result = generate(catalog.resolve("task-api", "p"), dest, catalog=catalog)
    assert result.commit and (dest / ".git").is_dir()


def test_force_replaces_same_names_and_keeps_the_rest(catalog: Catalog, tmp_path: Path) -> None:
    dest = build_file_tree(tmp_path / "p", {"notes.txt": "mine", "README.md": "old readme"})
    result = generate(catalog.resolve("task-api", "p"), dest, force=True, catalog=catalog)
    assert (dest / "notes.txt").read_text() == "mine"
    assert (dest / "README.md").read_text() != "old readme"
    assert result.replaced == ("README.md",)
    tracked = set(git(dest, "ls-files").splitlines())
    assert "notes.txt" not in tracked and "README.md" in tracked  # only generated files


def test_force_refuses_to_replace_a_folder_with_a_file(catalog: Catalog, tmp_path: Path) -> None:
    dest = build_file_tree(tmp_path / "p", {"README.md/keep.txt": "a folder of the user's"})
    with pytest.raises(DestinationError, match="is a folder"):
        generate(catalog.resolve("task-api", "p"), dest, force=True, catalog=catalog)
    assert (dest / "README.md" / "keep.txt").read_text() == "a folder of the user's"
    assert leftovers(dest) == ["README.md"]


def test_force_refuses_a_file_where_a_folder_must_go(catalog: Catalog, tmp_path: Path) -> None:
    dest = build_file_tree(tmp_path / "p", {"tests": "a file named tests"})
    with pytest.raises(DestinationError, match="a file where a folder is needed"):
        generate(catalog.resolve("task-api", "p"), dest, force=True, catalog=catalog)
    assert (dest / "tests").read_text() == "a file named tests"


def test_a_file_as_destination_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    dest = tmp_path / "p"
    dest.write_text("x")
    with pytest.raises(DestinationError, match="not a folder"):
        generate(catalog.resolve("task-api", "p"), dest, catalog=catalog)


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failure_while_writing_leaves_nothing(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    real_write = write_module.write_files

    def write_half_then_fail(root: Path, files: dict) -> None:  # type: ignore[type-arg]
        half = dict(list(files.items())[: len(files) // 2])
        real_write(root, half)
        raise error

    monkeypatch.setattr(generate_module, "write_files", write_half_then_fail)
    parent = tmp_path / "new" / "nested"
    with pytest.raises(type(error)):
        generate(catalog.resolve("task-api", "p"), parent / "p", catalog=catalog)
    assert leftovers(tmp_path) == []  # even the parents it created are gone


def test_a_git_failure_leaves_nothing(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> str:
        raise GitError("git failed: simulated (use --no-git to skip git)")

    monkeypatch.setattr(generate_module, "initial_commit", fail)
    with pytest.raises(GitError):
        generate(catalog.resolve("task-api", "p"), tmp_path / "p", catalog=catalog)
    assert leftovers(tmp_path) == []


def test_a_git_that_refuses_to_commit_is_reported(
    catalog: Catalog, tmp_path: Path, isolated_home: Path
) -> None:
    # A pre-commit hook cannot stop the commit (--no-verify), but a bad config can.
    (isolated_home / ".gitconfig").write_text(
        "[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n"
    )
    with pytest.raises(GitError, match="use --no-git"):
        generate(catalog.resolve("task-api", "p"), tmp_path / "p", catalog=catalog)
    assert leftovers(tmp_path) == []


def test_generated_files_are_not_executable_unless_meant_to_be(
    catalog: Catalog, tmp_path: Path
) -> None:
    result = generate(catalog.resolve("task-api", "p"), tmp_path / "p", git=False, catalog=catalog)
    assert not os.access(result.path / "pyproject.toml", os.X_OK)
