"""Faults during an update: whatever happens, the project is left exactly as it was."""

import errno
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import toolkit._journal as journal_module
import toolkit._lifecycle as lifecycle
from toolkit import (
    Catalog,
    NotAProjectError,
    ProjectStateError,
    UpdateError,
    check,
    diff,
    update,
)
from toolkit._verify import StepResult, VerifyReport

from .lifecycle_support import copy_project, git, snapshot

pytestmark = pytest.mark.usefixtures("fast_keys")


@pytest.fixture
def make(originals: dict[bool, Path], tmp_path: Path):
    def made(*, with_git: bool = True) -> Path:
        return edited(copy_project(originals[with_git], tmp_path), with_git=with_git)

    return made


def edited(project: Path, *, with_git: bool) -> Path:
    (project / "kept.txt").write_text("mine\n")
    if with_git:  # a change git merges with the template's; without git, a conflict
        routes = project / "demo_app/routes.py"
        routes.write_text(routes.read_text().replace("return 1\n", "return 1  # mine\n"))
        git(project, "commit", "-q", "-am", "mine")
    return project


class Stop(BaseException):
    """Stands for Ctrl-C or a dying process at a chosen point."""


def stop_at(name: str):
    def hook(phase: str) -> None:
        if phase == name:
            raise KeyboardInterrupt

    return hook


def passing_verify(path: object, **_: object) -> VerifyReport:
    from toolkit._answers import read_record

    spec = read_record(Path(str(path))).spec
    return VerifyReport(Path(str(path)), spec, (StepResult("test", True, 0.1, "pytest"),))


@pytest.mark.parametrize("with_git", [True, False], ids=["git", "files"])
@pytest.mark.parametrize("phase", lifecycle.PHASES)
def test_ctrl_c_at_any_phase_leaves_the_project_as_it_was(
    make: Callable[..., Path],
    v2: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    phase: str,
    with_git: bool,
) -> None:
    project = make(with_git=with_git)
    before = snapshot(project)
    monkeypatch.setattr(lifecycle, "phase_hook", stop_at(phase))
    monkeypatch.setattr("toolkit._verify.verify", passing_verify)
    reached = phase not in ("commit:objects", "commit:index", "commit:refs") or with_git
    if reached:
        with pytest.raises(KeyboardInterrupt):
            update(project, catalog=v2, verify=True)
    else:
        update(project, catalog=v2, verify=True)  # no git: those steps do not exist
        return
    assert snapshot(project) == before
    if phase == "write":
        monkeypatch.setattr(lifecycle, "phase_hook", None)
        assert update(project, catalog=v2).ok  # and it still updates afterwards


@pytest.mark.parametrize("when", [1, 4, -1])
def test_ctrl_c_between_two_writes_restores_everything(
    make: Callable[..., Path],
    v2: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    when: int,
) -> None:
    project = make()
    copy = tmp_path / "copy" / "demo-app"
    shutil.copytree(project, copy, symlinks=True)
    writes: list[Path] = []
    monkeypatch.setattr(journal_module, "before_write", writes.append)
    update(copy, catalog=v2)  # counts the writes of the same update
    total = len(writes)
    assert total > 5
    before = snapshot(project)
    target = when if when > 0 else total

    def interrupt(path: Path) -> None:
        writes.append(path)
        if len(writes) == total + target:
            raise KeyboardInterrupt

    monkeypatch.setattr(journal_module, "before_write", interrupt)
    with pytest.raises(KeyboardInterrupt):
        update(project, catalog=v2)
    assert snapshot(project) == before


def test_a_disk_error_while_writing_restores_the_project(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make()
    before = snapshot(project)
    seen: list[Path] = []

    def full_disk(path: Path) -> None:
        seen.append(path)
        if len(seen) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(journal_module, "before_write", full_disk)
    with pytest.raises(UpdateError, match=r"No space left on device.*restored") as caught:
        update(project, catalog=v2)
    assert caught.value.exit_code == 1
    assert snapshot(project) == before


def test_a_read_only_file_is_refused_before_anything_is_written(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path
) -> None:
    project = make()
    (project / "README.md").chmod(0o444)
    git(project, "update-index", "--refresh")
    before = snapshot(project)
    with pytest.raises(ProjectStateError, match=r"README.md is read-only"):
        update(project, catalog=v2)
    assert snapshot(project) == before


def test_a_killed_update_is_rolled_back_by_the_next_command(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make()
    before = snapshot(project)

    def killed(self: journal_module.Journal) -> None:
        raise Stop  # the process dies: no rollback runs, the journal stays

    monkeypatch.setattr(journal_module.Journal, "rollback", killed)
    monkeypatch.setattr(lifecycle, "phase_hook", stop_at("commit:refs"))
    with pytest.raises(Stop):
        update(project, catalog=v2)
    monkeypatch.undo()
    folder = project.parent / ".demo-app.scaffold-journal"
    assert folder.is_dir()
    assert snapshot(project)["files"] != before["files"]  # half-updated, for now
    result = check(project, catalog=v2)
    assert result.interrupted and result.exit_code == 1
    with pytest.raises(ProjectStateError, match="interrupted"):
        diff(project, catalog=v2)
    done = update(project, catalog=v2)
    assert done.ok and "rolled back" in done.notes[0]
    assert not folder.exists()
    # Rolled back first, then updated from the original state: the same as a clean run.
    assert "return 1  # mine" in (project / "demo_app/routes.py").read_text()
    assert git(project, "rev-parse", "HEAD^1") == before["head"]


def test_a_failed_verification_restores_the_project_and_commits_nothing(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make()
    before = snapshot(project)

    def failing(path: object, **_: object) -> VerifyReport:
        report = passing_verify(path)
        return VerifyReport(report.path, report.spec, (StepResult("test", False, 0.1, "pytest"),))

    monkeypatch.setattr("toolkit._verify.verify", failing)
    result = update(project, catalog=v2, verify=True)
    assert not result.ok and result.exit_code == 1 and not result.written
    assert result.verification is not None and not result.verification.ok
    assert snapshot(project) == before


def test_a_corrupt_or_missing_answers_file_is_refused(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path
) -> None:
    project = make()
    answers = project / ".scaffold.json"
    answers.write_text("{ not json")
    with pytest.raises(NotAProjectError, match=r"not a valid answers file.*git checkout") as bad:
        update(project, catalog=v2)
    assert bad.value.exit_code == 2
    answers.write_text('{"scaffold_version": "0.2.0"}')
    with pytest.raises(NotAProjectError, match="missing"):
        check(project, catalog=v2)
    answers.unlink()
    with pytest.raises(NotAProjectError, match="not a scaffold project"):
        update(project, catalog=v2)


def test_a_project_from_a_newer_scaffold_is_refused(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path
) -> None:
    project = make(with_git=False)
    answers = project / ".scaffold.json"
    data = json.loads(answers.read_text())
    data["scaffold_version"] = "9.0.0"
    answers.write_text(json.dumps(data))
    before = snapshot(project)
    for command in (update, check):
        with pytest.raises(ProjectStateError, match=r"newer than this scaffold.*update scaffold"):
            command(project, catalog=v2)
    assert snapshot(project) == before


def test_an_index_lock_of_another_git_is_refused(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path
) -> None:
    project = make()
    (project / ".git/index.lock").write_text("")
    with pytest.raises(ProjectStateError, match="another git command is running"):
        update(project, catalog=v2)


def test_markers_are_not_verified_and_stay_written(
    make: Callable[..., Path], v2: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make()
    routes = project / "demo_app/routes.py"
    routes.write_text(routes.read_text().replace("return 8\n", "return 8000\n"))
    git(project, "commit", "-q", "-am", "a conflicting change")
    called: list[object] = []
    monkeypatch.setattr("toolkit._verify.verify", lambda *a, **k: called.append(a))
    result = update(project, catalog=v2, conflicts="markers", verify=True)
    assert result.written and called == []
    assert any("not verified" in note for note in result.notes)
    assert "<<<<<<< yours" in routes.read_text()


def test_no_room_for_the_journal_beside_the_project_is_refused(
    make: Callable[..., Path], v2: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make()
    before = snapshot(project)

    def read_only_parent(project: Path, **_: object) -> journal_module.Journal:
        raise PermissionError(13, "Permission denied", str(project.parent))

    monkeypatch.setattr(
        journal_module.Journal,
        "begin",
        classmethod(lambda cls, project, **kw: read_only_parent(project)),
    )
    with pytest.raises(ProjectStateError, match=r"journal beside the project.*Permission denied"):
        update(project, catalog=v2)
    assert snapshot(project) == before
