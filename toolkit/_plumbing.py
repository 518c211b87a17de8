"""Git plumbing for updates: the project's repository, and a quarantined scratch repository.

Everything an update computes (trees, the merge, commits) is written to a scratch bare
repository beside nothing of the user's; it reads the project's objects through
``objects/info/alternates``. Only when the update is applied are the new objects
copied into the project's repository, as git itself quarantines pushed objects.
Git runs as a subprocess: plumbing commands with fixed, parseable output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GitError

#: Modes of git tree entries.
REGULAR = "100644"
EXECUTABLE = "100755"
SYMLINK = "120000"
#: Environment variables that would point git at another repository than the project's.
_REPOSITORY_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_COMMON_DIR",
)
#: Used for commits only when the user has no identity configured (as ``scaffold new``).
FALLBACK_NAME = "scaffold"
FALLBACK_EMAIL = "scaffold@localhost"
_STAGE_LINE = re.compile(r"^(\d{6}) ([0-9a-f]+) ([123])\t(.*)$", re.DOTALL)


def base_environment() -> dict[str, str]:
    """Return the environment for git: the user's, minus anything naming a repository."""
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARS}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"  # parseable messages
    env["GIT_OPTIONAL_LOCKS"] = "0"  # git status must not rewrite the user's index
    return env


class Git:
    """Runs git with a fixed environment and working folder."""

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self.cwd = cwd
        self.env = dict(env)

    def with_env(self, **extra: str) -> Git:
        """Return a runner with more environment variables."""
        return Git(self.cwd, {**self.env, **extra})

    def run(
        self, *args: str, input: bytes | None = None, ok: Sequence[int] = (0,)
    ) -> tuple[int, bytes]:
        """Run ``git args``; return its exit status and output.

        Raises:
            GitError: git is missing, or exited with a status not in ``ok``.
        """
        try:
            completed = subprocess.run(
                ["git", *args],
                cwd=self.cwd,
                env=self.env,
                input=input,
                capture_output=True,
                timeout=300,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed; updates need git (2.38 or later)") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} did not finish within 300 s") from None
        if completed.returncode not in ok:
            lines = completed.stderr.decode(errors="replace").strip().splitlines()
            reason = lines[-1] if lines else f"exit status {completed.returncode}"
            raise GitError(f"git {args[0]} failed: {reason}")
        return completed.returncode, completed.stdout

    def __call__(self, *args: str, input: bytes | None = None) -> bytes:
        """Run ``git args`` and return its output."""
        return self.run(*args, input=input)[1]

    def text(self, *args: str, input: bytes | None = None) -> str:
        """Run ``git args`` and return its output as stripped text."""
        return self(*args, input=input).decode().strip()


@dataclass(frozen=True)
class Repository:
    """A git repository whose work tree is a project.

    Attributes:
        worktree: The project folder (the top of the work tree).
        git_dir: Its git folder.
        objects: Its object folder.
        object_format: ``sha1`` or ``sha256``.
        head: The commit HEAD points to, ``None`` on an unborn branch.
    """

    worktree: Path
    git_dir: Path
    objects: Path
    object_format: str
    head: str | None

    @property
    def git(self) -> Git:
        """A runner for this repository and its work tree."""
        return Git(
            self.worktree,
            {
                **base_environment(),
                "GIT_DIR": str(self.git_dir),
                "GIT_WORK_TREE": str(self.worktree),
            },
        )

    def state_in_progress(self) -> str | None:
        """Name a merge, rebase, cherry-pick, revert or bisect in progress, if any."""
        markers = {
            "MERGE_HEAD": "a merge",
            "rebase-merge": "a rebase",
            "rebase-apply": "a rebase (or git am)",
            "CHERRY_PICK_HEAD": "a cherry-pick",
            "REVERT_HEAD": "a revert",
            "BISECT_LOG": "a bisect",
        }
        for name, what in markers.items():
            if (self.git_dir / name).exists():
                return what
        return None


@dataclass(frozen=True)
class Probe:
    """Where a project stands with git.

    Attributes:
        repository: The repository whose work tree the project is, if any.
        enclosing: The top of a larger repository the project lies inside, if so.
    """

    repository: Repository | None = None
    enclosing: Path | None = None


def probe(project: Path) -> Probe:
    """Find the repository of ``project`` (one git process).

    Raises:
        GitError: git is missing or fails for another reason than "no repository".
    """
    git = Git(project, base_environment())
    code, out = git.run(
        "rev-parse",
        "--show-toplevel",
        "--absolute-git-dir",
        "--git-path",
        "objects",
        "--show-object-format",
        ok=(0, 128),
    )
    if code == 128:
        return Probe()
    lines = out.decode().splitlines()
    if len(lines) < 4:  # a bare repository or a git folder: no work tree
        return Probe()
    top, git_dir, objects, object_format = (line.strip() for line in lines[:4])
    if Path(top).resolve() != project.resolve():
        return Probe(enclosing=Path(top))
    code, head = git.run("rev-parse", "--verify", "-q", "HEAD^{commit}", ok=(0, 1))
    return Probe(
        Repository(
            worktree=project,
            git_dir=Path(git_dir),
            objects=(project / objects).resolve(),
            object_format=object_format or "sha1",
            head=head.decode().strip() if code == 0 else None,
        )
    )


def identity_env(git: Git) -> dict[str, str]:
    """Return variables that give commits an identity when the user has none configured."""
    code, out = git.run("config", "--get-regexp", r"^user\.(name|email)$", ok=(0, 1))
    configured = (
        {line.split(" ", 1)[0] for line in out.decode().splitlines()} if code == 0 else set()
    )
    env: dict[str, str] = {}
    for role in ("AUTHOR", "COMMITTER"):
        if not os.environ.get(f"GIT_{role}_NAME") and "user.name" not in configured:
            env[f"GIT_{role}_NAME"] = FALLBACK_NAME
        if not os.environ.get(f"GIT_{role}_EMAIL") and "user.email" not in configured:
            env[f"GIT_{role}_EMAIL"] = FALLBACK_EMAIL
    return env


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of a tree: its mode and object id."""

    mode: str
    oid: str


@dataclass(frozen=True, slots=True)
class Change:
    """One file that differs between two trees (``git diff-tree --raw``)."""

    path: str
    status: str  # A, D, M or T
    old: Entry | None
    new: Entry | None


@dataclass(frozen=True)
class MergeOutput:
    """What ``git merge-tree --write-tree`` said.

    Attributes:
        tree: The merged tree (conflicted files hold markers, as git leaves them).
        stages: For each conflicted path, its entries by stage (1 base, 2 ours, 3 theirs).
        messages: ``(paths, type, message)`` of each conflict or note, as git gives them.
    """

    tree: str
    stages: Mapping[str, Mapping[int, Entry]] = field(default_factory=dict)
    messages: tuple[tuple[tuple[str, ...], str, str], ...] = ()

    @property
    def clean(self) -> bool:
        """Whether nothing conflicted."""
        return not self.stages


class Workspace:
    """A scratch bare repository in ``folder`` whose objects never reach the project until copied.

    With a project repository, it reads that repository's objects through
    alternates; everything it writes stays in its own object folder.
    """

    def __init__(self, folder: Path, repository: Repository | None = None) -> None:
        self.folder = folder
        self.repository = repository
        self.git_dir = folder / "work.git"
        object_format = repository.object_format if repository else "sha1"
        git = Git(folder, base_environment())
        git("init", "-q", "--bare", f"--object-format={object_format}", str(self.git_dir))
        self.objects = self.git_dir / "objects"
        self._blob_count = 0
        if repository is not None:
            (self.objects / "info" / "alternates").write_text(f"{repository.objects}\n")
        self.git = Git(
            folder,
            {
                **base_environment(),
                "GIT_DIR": str(self.git_dir),
                "GIT_AUTHOR_NAME": FALLBACK_NAME,
                "GIT_AUTHOR_EMAIL": FALLBACK_EMAIL,
                "GIT_COMMITTER_NAME": FALLBACK_NAME,
                "GIT_COMMITTER_EMAIL": FALLBACK_EMAIL,
            },
        )

    def quarantined(self, git: Git) -> Git:
        """Return ``git`` (of the project) writing its new objects here, not in the project."""
        assert self.repository is not None
        return git.with_env(
            GIT_OBJECT_DIRECTORY=str(self.objects),
            GIT_ALTERNATE_OBJECT_DIRECTORIES=str(self.repository.objects),
        )

    # -- writing objects ---------------------------------------------------------------------

    def import_files(
        self,
        files: Mapping[str, tuple[bytes, str]],
        *,
        ref: str,
        parent: str | None = None,
        message: str = "files",
    ) -> str:
        """Make a commit on ``ref`` whose tree is exactly ``files`` ({path: (content, mode)}).

        One ``git fast-import`` process writes every blob, the trees and the commit.
        """
        stamp = f"{int(time.time())} +0000"
        data = message.encode()
        chunks = [
            f"commit {ref}\nmark :1\n"
            f"committer {FALLBACK_NAME} <{FALLBACK_EMAIL}> {stamp}\n"
            f"data {len(data)}\n".encode(),
            data,
            b"\n",
        ]
        if parent is not None:
            chunks.append(f"from {parent}\n".encode())
        chunks.append(b"deleteall\n")
        for path, (content, mode) in sorted(files.items()):
            chunks.append(
                f"M {mode} inline {_fast_import_path(path)}\ndata {len(content)}\n".encode()
            )
            chunks.append(content)
            chunks.append(b"\n")
        chunks.append(b"get-mark :1\n")
        out = self.git(
            "fast-import",
            "--quiet",
            "--done",
            "--cat-blob-fd=1",
            input=b"".join([*chunks, b"done\n"]),
        )
        return out.decode().strip()

    def commit_tree(
        self, tree: str, parents: Iterable[str], message: str, git: Git | None = None
    ) -> str:
        """Make a commit of ``tree`` with ``parents`` (with ``git``'s identity and objects)."""
        args = ["commit-tree", tree]
        for parent in parents:
            args += ["-p", parent]
        return (git or self.git).text(*args, input=message.encode())

    def write_blobs(self, contents: Sequence[bytes]) -> list[str]:
        """Store blobs; return their ids in order (one ``git hash-object`` process)."""
        if not contents:
            return []
        folder = self.folder / "blobs"
        folder.mkdir(exist_ok=True)
        paths = []
        for content in contents:
            self._blob_count += 1
            path = folder / str(self._blob_count)
            path.write_bytes(content)
            paths.append(str(path))
        out = self.git(
            "hash-object", "-w", "--no-filters", "--stdin-paths", input="\n".join(paths).encode()
        )
        return out.decode().split()

    def tree_with(self, tree: str, updates: Mapping[str, Entry | None]) -> str:
        """Return ``tree`` with files set to new entries, or removed where ``None``."""
        if not updates:
            return tree
        index = self.folder / "tree.index"
        index.unlink(missing_ok=True)
        git = self.git.with_env(GIT_INDEX_FILE=str(index))
        git("read-tree", tree)
        zero = "0" * len(tree)
        removed = [f"0 {zero}\t{path}" for path, entry in updates.items() if entry is None]
        added = [f"{e.mode} {e.oid}\t{path}" for path, e in updates.items() if e is not None]
        lines = "\0".join([*removed, *added]) + "\0"
        git("update-index", "-z", "--index-info", input=lines.encode(errors="surrogateescape"))
        return git.text("write-tree")

    def set_ref(self, name: str, oid: str) -> None:
        """Point a reference of the scratch repository at ``oid`` (for merge labels)."""
        self.git("update-ref", name, oid)

    def replace_in_tree(self, tree: str, path: str, entry: Entry | None) -> str:
        """Return ``tree`` with the top-level file ``path`` set to ``entry`` (or removed)."""
        listing = self.git("ls-tree", "-z", tree).split(b"\0")
        kept = [line for line in listing if line and line.split(b"\t", 1)[1].decode() != path]
        if entry is not None:
            kept.append(f"{entry.mode} blob {entry.oid}\t{path}".encode())
        return self.git.text("mktree", "-z", input=b"\0".join(kept) + b"\0")

    # -- reading -----------------------------------------------------------------------------

    def rev(self, name: str) -> str | None:
        """Return the object id ``name`` resolves to, or ``None``."""
        code, out = self.git.run("rev-parse", "--verify", "-q", name, ok=(0, 1))
        return out.decode().strip() if code == 0 else None

    def ls_tree(self, treeish: str) -> dict[str, Entry]:
        """Return every file of a tree, recursively: {path: entry} (submodules left out)."""
        out = self.git("ls-tree", "-r", "-z", "--full-tree", treeish)
        files: dict[str, Entry] = {}
        for line in out.split(b"\0"):
            if not line:
                continue
            meta, path = line.split(b"\t", 1)
            mode, kind, oid = meta.decode().split(" ")
            if kind == "blob":
                files[path.decode()] = Entry(mode, oid)
        return files

    def read_blobs(self, oids: Iterable[str]) -> dict[str, bytes]:
        """Return the content of each blob (one ``git cat-file --batch``)."""
        wanted = list(dict.fromkeys(oids))
        if not wanted:
            return {}
        out = self.git("cat-file", "--batch", input="".join(f"{o}\n" for o in wanted).encode())
        blobs: dict[str, bytes] = {}
        position = 0
        for oid in wanted:
            end = out.index(b"\n", position)
            header = out[position:end].decode().split(" ")
            if len(header) != 3:
                raise GitError(f"git cat-file: object {oid} is missing")
            size = int(header[2])
            blobs[oid] = out[end + 1 : end + 1 + size]
            position = end + 1 + size + 1
        return blobs

    def object_ids(self, names: Iterable[str]) -> dict[str, str | None]:
        """Resolve many ``<commit>:<path>`` names at once (``None`` where there is nothing)."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return {}
        out = self.git(
            "cat-file", "--batch-check=%(objectname)", input="\n".join(wanted).encode() + b"\n"
        )
        found: dict[str, str | None] = {}
        for name, line in zip(wanted, out.decode().splitlines(), strict=True):
            found[name] = None if line.endswith("missing") or " " in line else line
        return found

    # -- merging and comparing ---------------------------------------------------------------

    def merge(self, ours: str, theirs: str) -> MergeOutput:
        """Merge two branches of this repository with ``git merge-tree --write-tree``.

        Their names label the conflict markers. Nothing but objects is written.
        """
        try:
            code, out = self.git.run(
                "merge-tree", "--write-tree", "-z", "--messages", ours, theirs, ok=(0, 1)
            )
        except GitError as exc:  # git before 2.38 has no --write-tree
            raise GitError(f"{exc} (updates need git 2.38 or later)") from exc
        tokens = out.decode(errors="surrogateescape").split("\0")
        tree = tokens[0]
        stages: dict[str, dict[int, Entry]] = {}
        index = 1
        while index < len(tokens) and (match := _STAGE_LINE.match(tokens[index])):
            mode, oid, stage, path = match.groups()
            stages.setdefault(path, {})[int(stage)] = Entry(mode, oid)
            index += 1
        if index < len(tokens) and tokens[index] == "":
            index += 1
        messages: list[tuple[tuple[str, ...], str, str]] = []
        while index < len(tokens) and tokens[index].isdigit():
            count = int(tokens[index])
            paths = tuple(tokens[index + 1 : index + 1 + count])
            kind, text = tokens[index + 1 + count], tokens[index + 2 + count]
            messages.append((paths, kind, text.strip()))
            index += count + 3
        if code == 1 and not stages:  # conflicts git reports without stages (rare)
            for paths, kind, _text in messages:
                if kind.startswith("CONFLICT"):
                    for path in paths:
                        stages.setdefault(path, {})
        return MergeOutput(tree, stages, tuple(messages))

    def changes(self, old: str, new: str) -> list[Change]:
        """Return the files that differ between two trees (no rename pairing)."""
        out = self.git("diff-tree", "-r", "-z", "--no-renames", "--raw", old, new)
        tokens = out.split(b"\0")
        found: list[Change] = []
        index = 0
        while index + 1 < len(tokens) and tokens[index].startswith(b":"):
            meta = tokens[index][1:].decode().split(" ")
            path = tokens[index + 1].decode(errors="surrogateescape")
            old_mode, new_mode, old_oid, new_oid, status = meta
            found.append(
                Change(
                    path,
                    status[0],
                    None if status[0] == "A" else Entry(old_mode, old_oid),
                    None if status[0] == "D" else Entry(new_mode, new_oid),
                )
            )
            index += 2
        return found

    def patch(self, old: str, new: str) -> str:
        """Return git's unified diff between two trees, renames found."""
        out = self.git(
            "diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--full-index", old, new
        )
        return out.decode(errors="replace")

    def merge_file(
        self, ours: bytes, base: bytes, theirs: bytes, labels: Sequence[str] = ()
    ) -> bytes:
        """Merge three versions of one file with ``git merge-file`` (markers where they clash)."""
        scratch = self.folder / "merge-file"
        scratch.mkdir(exist_ok=True)
        paths = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = scratch / name
            path.write_bytes(content)
            paths.append(str(path))
        args = ["merge-file", "-p"]
        for label in labels:
            args += ["-L", label]
        _code, out = self.git.run(*args, *paths, ok=range(0, 128))
        return out

    # -- handing over ------------------------------------------------------------------------

    def copy_objects_to(self, objects: Path) -> int:
        """Copy every object written here into another object folder; return how many files.

        Each file is written under a temporary name and renamed, so the repository
        never sees half an object; objects it already has are skipped.
        """
        copied = 0
        for dirpath, _dirnames, filenames in os.walk(self.objects):
            relative = os.path.relpath(dirpath, self.objects)
            if relative == "info" or relative.startswith("info" + os.sep):
                continue
            for name in sorted(filenames, key=lambda n: n.endswith(".idx")):  # packs first
                source = os.path.join(dirpath, name)
                target_dir = objects / relative
                target = target_dir / name
                if target.exists():
                    continue
                target_dir.mkdir(parents=True, exist_ok=True)
                temporary = target_dir / f"tmp_scaffold_{name}"
                shutil.copyfile(source, temporary)
                os.chmod(temporary, 0o444)
                os.replace(temporary, target)
                copied += 1
        return copied


def _fast_import_path(path: str) -> str:
    """Quote a path for fast-import when it needs it (C-style, as git quotes paths)."""
    if not path.startswith('"') and "\n" not in path and "\\" not in path:
        return path
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def mode_of(executable: bool) -> str:
    """Return the tree mode of a regular file."""
    return EXECUTABLE if executable else REGULAR


__all__ = [
    "Change",
    "Entry",
    "Git",
    "MergeOutput",
    "Probe",
    "Repository",
    "Workspace",
    "base_environment",
    "identity_env",
    "mode_of",
    "probe",
]
