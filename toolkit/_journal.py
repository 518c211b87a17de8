"""The journal of an update: each change to a project is recorded before it is made, to undo it.

An update writes its changes one by one; before each, a line in the journal's log says
what is about to happen, and what is replaced or deleted is kept (a hard link, or a copy
across file systems) in the journal folder, a hidden folder beside the project. Any
exception, Ctrl-C included, rolls back from the log in reverse: files, modes, deletions,
folders made or removed, the git index and references. A journal left by a process that
was killed is found by the next command, which rolls it back (or, if the update had
committed, only removes it).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import JournalError, ScaffoldError

LOG = "journal.log"
#: The suffix of a journal folder: ``.<project>.scaffold-journal`` beside the project.
SUFFIX = ".scaffold-journal"
#: Tests replace this to fail at a chosen write (a full disk, a dying process).
before_write: Callable[[Path], None] | None = None


def journal_folder(project: Path) -> Path:
    """Return where the journal of ``project`` lives (beside it, hidden)."""
    return project.parent / f".{project.name}{SUFFIX}"


class Journal:
    """Write-ahead log and backups of one update of one project."""

    def __init__(self, folder: Path, git_dir: Path | None = None) -> None:
        self.folder = folder
        self.git_dir = git_dir
        self._entries: list[dict[str, Any]] = []
        self._count = 0
        self._umask = _umask()
        self._log = (folder / LOG).open("a", encoding="utf-8")

    @classmethod
    def begin(cls, project: Path, *, git_dir: Path | None = None) -> Journal:
        """Start the journal of an update of ``project``.

        Raises:
            JournalError: A journal already exists (another update is running or was killed).
            OSError: The folder beside the project cannot be written.
        """
        folder = journal_folder(project)
        try:
            folder.mkdir()
        except FileExistsError:
            raise JournalError(
                f"{folder} exists: another update is running, or one was killed; "
                "run the command again once it has ended to roll that one back"
            ) from None
        (folder / "files").mkdir()
        journal = cls(folder, git_dir)
        journal._record({"op": "begin", "git_dir": str(git_dir) if git_dir else None})
        return journal

    # -- recording -----------------------------------------------------------------------------

    def _record(self, entry: dict[str, Any]) -> None:
        self._entries.append(entry)
        self._log.write(json.dumps(entry) + "\n")
        self._log.flush()

    def _backup(self) -> str:
        self._count += 1
        return f"files/{self._count}"

    def _keep(self, path: Path, backup: str) -> None:
        target = self.folder / backup
        try:
            os.link(path, target, follow_symlinks=False)
        except OSError:  # another file system, or no hard links: a copy keeps mode and times
            shutil.copy2(path, target, follow_symlinks=False)

    # -- changes -------------------------------------------------------------------------------

    def make_parents(self, path: Path) -> None:
        """Create the missing folders above ``path``, recording each."""
        missing = []
        current = path.parent
        while not current.exists():
            missing.append(current)
            current = current.parent
        for folder in reversed(missing):
            self._record({"op": "mkdir", "path": str(folder)})
            folder.mkdir()

    def write(
        self, path: Path, content: bytes, *, mode: str, permissions: int | None = None
    ) -> None:
        """Write ``path`` whole (through a temporary file and a rename), keeping what it replaces.

        Args:
            path: The file.
            content: Its new content (a symlink's target for mode ``120000``).
            mode: The git mode: ``100644``, ``100755`` or ``120000``.
            permissions: Exact permission bits (``.env`` keeps its own); by default
                those of ``mode`` under the umask, as git checks files out.
        """
        self.make_parents(path)
        temporary = path.parent / f".{path.name}.scaffold-new"
        exists = os.path.lexists(path)
        backup = self._backup() if exists else None
        self._record(
            {
                "op": "replace" if exists else "create",
                "path": str(path),
                "backup": backup,
                "temporary": str(temporary),
            }
        )
        if backup is not None:
            self._keep(path, backup)
        if before_write is not None:
            before_write(path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if mode == "120000":
            os.symlink(content.decode(errors="surrogateescape"), temporary)
        else:
            with open(temporary, "xb") as handle:
                handle.write(content)
            if permissions is None:
                permissions = (0o777 if mode == "100755" else 0o666) & ~self._umask
            os.chmod(temporary, permissions)
        os.replace(temporary, path)

    def install(self, source: Path, path: Path) -> None:
        """Move the finished file ``source`` to ``path``, keeping what it replaces."""
        exists = os.path.lexists(path)
        backup = self._backup() if exists else None
        self._record({"op": "replace" if exists else "create", "path": str(path), "backup": backup})
        if backup is not None:
            self._keep(path, backup)
        os.replace(source, path)

    def delete(self, path: Path, *, stop_at: Path) -> None:
        """Delete ``path``, then the folders up to ``stop_at`` that it leaves empty."""
        backup = self._backup()
        self._record({"op": "delete", "path": str(path), "backup": backup})
        self._keep(path, backup)
        if before_write is not None:
            before_write(path)
        os.unlink(path)
        folder = path.parent
        while folder != stop_at and stop_at in folder.parents and not any(folder.iterdir()):
            self.remove_folder(folder)
            folder = folder.parent

    def remove_folder(self, folder: Path) -> None:
        """Remove an empty folder, recording its mode."""
        self._record(
            {"op": "rmdir", "path": str(folder), "mode": stat.S_IMODE(folder.stat().st_mode)}
        )
        folder.rmdir()

    def ref(self, name: str, old: str | None, new: str | None, run: Callable[[], object]) -> None:
        """Move a git reference with ``run``, recording how to move it back."""
        self._record({"op": "ref", "name": name, "old": old, "new": new})
        run()

    def committed(self) -> None:
        """Mark the update as done: from here on it is finished, never rolled back."""
        self._record({"op": "committed"})

    # -- ending --------------------------------------------------------------------------------

    def finish(self) -> None:
        """Remove the journal after a successful update."""
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def rollback(self) -> None:
        """Undo every recorded change, newest first, then remove the journal.

        Ctrl-C is held off while it runs. If something cannot be restored, the journal
        is kept and :class:`JournalError` says where.

        Raises:
            JournalError: A change could not be undone.
        """
        self._log.close()
        with _no_interrupts():
            failures = _undo(self.folder, self._entries, self.git_dir)
            if failures:
                raise JournalError(
                    "could not restore everything (" + "; ".join(failures[:3]) + "); the "
                    f"backups are kept in {self.folder}"
                )
            shutil.rmtree(self.folder, ignore_errors=True)


def recover(project: Path) -> str | None:
    """Deal with a journal a killed update left: roll it back, or finish it if it had committed.

    Returns:
        What was done, for the user, or ``None`` when there was no journal.

    Raises:
        JournalError: It could not be rolled back (the journal is kept).
    """
    folder = journal_folder(project)
    log = folder / LOG
    if not folder.is_dir():
        return None
    entries = []
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:  # the last line, cut short by the kill
                break
    git_dir = next((e.get("git_dir") for e in entries if e.get("op") == "begin"), None)
    if any(e.get("op") == "committed" for e in entries):
        shutil.rmtree(folder, ignore_errors=True)
        return "an earlier update had committed before it was stopped; its journal was removed"
    with _no_interrupts():
        failures = _undo(folder, entries, Path(git_dir) if git_dir else None)
    if failures:
        raise JournalError(
            f"an earlier update was stopped and could not be rolled back ({failures[0]}); "
            f"the backups are kept in {folder}"
        )
    shutil.rmtree(folder, ignore_errors=True)
    return "an earlier update had been stopped half-way; it was rolled back"


def _undo(folder: Path, entries: list[dict[str, Any]], git_dir: Path | None) -> list[str]:
    failures: list[str] = []
    for entry in reversed(entries):
        try:
            _undo_one(folder, entry, git_dir)
        except (OSError, ScaffoldError) as exc:
            failures.append(f"{entry.get('path') or entry.get('name')}: {exc}")
    return failures


def _undo_one(folder: Path, entry: dict[str, Any], git_dir: Path | None) -> None:
    op = entry["op"]
    path = Path(entry["path"]) if "path" in entry else None
    if op in {"create", "replace"}:
        assert path is not None
        temporary = entry.get("temporary")
        if temporary:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        backup = folder / entry["backup"] if entry.get("backup") else None
        if backup is not None and os.path.lexists(backup):
            os.replace(backup, path)
        elif op == "create":
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    elif op == "delete":
        assert path is not None
        backup = folder / entry["backup"]
        if os.path.lexists(backup):
            os.replace(backup, path)
    elif op == "mkdir":
        assert path is not None
        with contextlib.suppress(FileNotFoundError):
            path.rmdir()
    elif op == "rmdir":
        assert path is not None
        if not path.exists():
            path.mkdir()
            os.chmod(path, int(entry["mode"]))
    elif op == "ref" and git_dir is not None:
        _restore_ref(git_dir, entry["name"], entry.get("old"), entry.get("new"))


def _restore_ref(git_dir: Path, name: str, old: str | None, new: str | None) -> None:
    from ._plumbing import Git, base_environment

    git = Git(git_dir, {**base_environment(), "GIT_DIR": str(git_dir)})
    code, current = git.run("rev-parse", "--verify", "-q", name, ok=(0, 1))
    now = current.decode().strip() if code == 0 else None
    if now == old:
        return
    if now != new:
        raise JournalError(f"{name} moved meanwhile (now {now}); left as it is")
    if old is None:
        git("update-ref", "-d", name, new or "")
    else:
        git("update-ref", name, old, new or "")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """Hold off Ctrl-C while a rollback runs (only the main thread receives signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


__all__ = ["Journal", "JournalError", "before_write", "journal_folder", "recover"]
