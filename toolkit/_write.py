"""Safe writing: stage the project beside its destination, then move it into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ._render import RenderedFile
from .errors import DestinationError


def check_destination(
    dest: Path, files: Mapping[PurePosixPath, RenderedFile], *, force: bool
) -> list[PurePosixPath]:
    """Refuse a destination that would lose data; return the paths that would be replaced.

    An existing non-empty folder is refused unless ``force``. With ``force``, files of
    the same name are replaced and every other file is kept; a folder where a file
    must go (or the reverse) is refused, since replacing it would delete the user's files.
    """
    if dest.exists() and not dest.is_dir():
        raise DestinationError(f"destination {dest} exists and is not a folder")
    for ancestor in dest.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise DestinationError(f"cannot create {dest}: {ancestor} is not a folder")
            break
    if not dest.is_dir() or not any(dest.iterdir()):
        return []
    if not force:
        raise DestinationError(
            f"destination {dest} exists and is not empty; use --force to replace the "
            "generated files in it (other files are kept)"
        )
    replaced: list[PurePosixPath] = []
    for relative in files:
        target = dest / relative
        for parent in reversed(relative.parents[:-1]):
            existing = dest / parent
            if existing.exists() and not existing.is_dir():
                raise DestinationError(
                    f"cannot write {relative}: {existing} is a file where a folder is needed"
                )
        if target.is_dir() and not target.is_symlink():
            raise DestinationError(f"cannot write {relative}: {target} is a folder")
        if target.exists() or target.is_symlink():
            replaced.append(relative)
    return replaced


def write_files(root: Path, files: Mapping[PurePosixPath, RenderedFile]) -> None:
    """Write ``files`` under ``root`` (which must be a fresh, empty folder)."""
    for relative, file in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
        if file.executable:
            target.chmod(target.stat().st_mode | 0o111)


@contextmanager
def staging_folder(dest: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``dest``, removed again whatever happens.

    If the block fails for any reason (Ctrl-C included), parents made for it are
    removed too, so nothing half-written stays.
    """
    created = _make_parents(dest.parent)
    try:
        staging = Path(
            tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".scaffold-tmp", dir=dest.parent)
        )
    except BaseException:
        _remove_created(created)
        raise
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if not dest.exists():
            _remove_created(created)
        raise
    else:
        shutil.rmtree(staging, ignore_errors=True)


def move_into_place(
    staging: Path,
    dest: Path,
    files: Mapping[PurePosixPath, RenderedFile],
    *,
    on_merge: Callable[[PurePosixPath], None] | None = None,
) -> None:
    """Move the staged project to ``dest``.

    A new destination gets one atomic rename. An existing one (``--force``) gets each
    file moved over separately, leaving every other file of the user's in place.
    """
    if not dest.exists():
        os.rename(staging, dest)
        staging.mkdir()  # the caller's cleanup expects the staging folder to exist
        return
    dest_is_empty = not any(dest.iterdir())
    if dest_is_empty:
        for child in staging.iterdir():
            os.replace(child, dest / child.name)
        return
    for relative in files:
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if on_merge is not None:
            on_merge(relative)
        os.replace(staging / relative, target)


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; return those created, deepest first."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    folder.mkdir(parents=True, exist_ok=True)
    return missing


def _remove_created(created: list[Path]) -> None:
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            break
