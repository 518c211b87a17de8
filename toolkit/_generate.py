"""Generation: render a spec, write it safely, make the first commit."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ._catalog import Catalog
from ._render import RenderedFile, RenderedProject, SecretFactory, new_secret, render
from ._spec import ProjectSpec
from ._vcs import enclosing_repository, initial_commit
from ._version import __version__
from ._write import check_destination, move_into_place, staging_folder, write_files


@dataclass(frozen=True, slots=True)
class GenerationResult:
    """What :func:`generate` did.

    Attributes:
        spec: The project that was generated.
        path: The project folder.
        files: Relative paths of every file written, sorted.
        replaced: Files that existed and were replaced (only with ``force``).
        commit: The first commit's id, or ``None`` when git was skipped.
        git_note: Why git was skipped, when it was skipped for a reason of its own.
        commands: The project's documented commands (``setup``, ``test``, ``serve``...).
    """

    spec: ProjectSpec
    path: Path
    files: tuple[str, ...]
    replaced: tuple[str, ...] = ()
    commit: str | None = None
    git_note: str | None = None
    commands: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Return the result as JSON-ready data (``scaffold new --json``)."""
        return {
            "spec": self.spec.to_dict(),
            "path": str(self.path),
            "files": list(self.files),
            "replaced": list(self.replaced),
            "commit": self.commit,
            "git_note": self.git_note,
            "commands": dict(self.commands),
        }


def commit_message(spec: ProjectSpec) -> str:
    """Return the first commit's message."""
    return f"Initial commit from scaffold {__version__} ({spec.label})"


def generate(
    spec: ProjectSpec,
    dest: str | os.PathLike[str],
    *,
    force: bool = False,
    git: bool = True,
    catalog: Catalog | None = None,
    make_secret: SecretFactory = new_secret,
    database_url: str | None = None,
) -> GenerationResult:
    """Generate the project described by ``spec`` into the folder ``dest``.

    The project is rendered in memory, written to a temporary folder beside ``dest``
    and moved into place, so a failure at any point (Ctrl-C included) leaves nothing
    behind. Git runs in the staging folder too, when ``dest`` is new.

    Args:
        spec: What to generate.
        dest: The project folder to create (for example ``./my-tasks``).
        force: Write into an existing non-empty folder, replacing files of the same
            name and keeping every other file.
        git: Initialise a repository on ``main`` with a first commit. Skipped, with
            a note, when ``dest`` lies inside another repository or already is one.
        catalog: The catalog to use (the toolkit's own by default).
        make_secret: Makes the secrets written to ``.env``.
        database_url: The ``DATABASE_URL`` written to ``.env`` (an existing server's),
            instead of the example; its scheme must be the database's.

    Returns:
        What was written, and the commit id.

    Raises:
        UsageError: The spec is not offered, ``dest`` would lose files, or
            ``database_url`` is not a URL of the spec's database.
        TemplateError: A template is broken (nothing is written).
        GitError: Git failed (nothing is written when ``dest`` was new).
    """
    project = render(spec, catalog=catalog, make_secret=make_secret, database_url=database_url)
    return write_project(project, Path(dest), force=force, git=git)


def write_project(
    project: RenderedProject, dest: Path, *, force: bool = False, git: bool = True
) -> GenerationResult:
    """Write an already rendered project; see :func:`generate` for the rules."""
    written = write_and_commit(
        project.files, dest, commit_message(project.spec), force=force, git=git
    )
    return GenerationResult(
        spec=project.spec,
        path=written.path,
        files=tuple(str(p) for p in project.files),
        replaced=tuple(str(p) for p in written.replaced),
        commit=written.commit,
        git_note=written.git_note,
        commands=project.commands,
    )


@dataclass(frozen=True, slots=True)
class Written:
    """What :func:`write_and_commit` did: where, what it replaced, the commit."""

    path: Path
    replaced: tuple[PurePosixPath, ...]
    commit: str | None
    git_note: str | None


def write_and_commit(
    files: Mapping[PurePosixPath, RenderedFile],
    dest: Path,
    message: str,
    *,
    force: bool = False,
    git: bool = True,
) -> Written:
    """Write files into ``dest`` through a staging folder and make the first commit.

    The rules of :func:`generate`: nothing is left behind on failure, a non-empty
    destination needs ``force``, no repository is made inside another one.
    """
    # Absolute, with "." and ".." taken out as a shell does: `-o ..` gives ../name, and
    # the result (and what `new` prints) names it plainly.
    dest = Path(os.path.abspath(dest))
    replaced = check_destination(dest, files, force=force)
    fresh = not dest.exists() or not any(dest.iterdir())
    repo = enclosing_repository(dest) if git else None
    commit: str | None = None
    note: str | None = None
    if repo is not None:
        note = f"not creating a repository inside the existing one at {repo}"
    with staging_folder(dest) as staging:
        write_files(staging, files)
        if git and repo is None and fresh:
            commit = initial_commit(staging, message)
        move_into_place(staging, dest, files)
    if git and repo is None and not fresh:
        commit = initial_commit(dest, message, [str(p) for p in files])
    return Written(dest, tuple(replaced), commit, note)
