"""The three-way merge of an update, computed in a scratch repository with git's own machinery.

Base: the project as scaffold generated it (the pristine generation). Theirs: what the
toolkit generates now (a new version, or new answers). Ours: the user's files. With the
base's content at hand, ``git merge-tree`` merges (renames followed, modes kept); with only
its recorded hashes, each file is decided alone and a file both sides changed is a
conflict as a whole. Either way the result is a tree, and conflicted files hold git's
standard markers in it; nothing in the project is touched here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._answers import ANSWERS_FILE, FileRecord, file_digest
from ._plumbing import REGULAR, Entry, MergeOutput, Workspace, mode_of

#: The label of the user's side in conflict markers.
OURS_LABEL = "yours"
_MARKER_START = re.compile(rb"^<{7}(?: |$)", re.MULTILINE)
_MARKER_BASE = "|||||||"
_MARKER_MIDDLE = "======="
_MARKER_END = ">>>>>>>"


@dataclass(frozen=True, slots=True)
class Hunk:
    """One conflicting region of a file, as its markers show it.

    Attributes:
        line: The line of its ``<<<<<<<`` marker (1-based) in the file with markers.
        ours: The user's lines.
        theirs: The template's lines.
        base: The generated lines both started from, when the conflict style shows them.
    """

    line: int
    ours: str
    theirs: str
    base: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the hunk as JSON-ready data."""
        return {"line": self.line, "ours": self.ours, "theirs": self.theirs, "base": self.base}


@dataclass(frozen=True, slots=True)
class Conflict:
    """A file the update cannot merge alone.

    Attributes:
        path: The file, relative to the project.
        kind: ``content`` (both changed the same lines), ``add/add`` (both made the
            file), ``modify/delete`` (you changed it, the template removed it),
            ``delete/modify`` (you deleted it, the template changed it), ``binary``,
            ``untracked`` (a file of yours outside git where the template adds one),
            or git's name for a rename conflict.
        message: One line saying what happened.
        hunks: The conflicting regions.
        markers: Whether the merged file holds conflict markers (written with
            ``--conflicts=markers``); binary and untracked conflicts cannot.
    """

    path: str
    kind: str
    message: str
    hunks: tuple[Hunk, ...] = ()
    markers: bool = True

    def to_dict(self) -> dict[str, object]:
        """Return the conflict as JSON-ready data."""
        return {
            "path": self.path,
            "kind": self.kind,
            "message": self.message,
            "markers": self.markers,
            "hunks": [hunk.to_dict() for hunk in self.hunks],
        }


@dataclass
class Merged:
    """The outcome of a merge: the tree to write, and what conflicts.

    Attributes:
        tree: The merged tree; conflicted files hold markers.
        conflicts: The conflicting files.
        merged: Files that both sides changed and git merged cleanly.
        notes: Things the user should know (how the base was compared, say).
    """

    tree: str
    conflicts: list[Conflict] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def merge_trees(
    ws: Workspace,
    *,
    base_tree: str,
    ours_tree: str,
    theirs: Mapping[str, tuple[bytes, str]],
    theirs_label: str,
) -> tuple[Merged, str]:
    """Merge with the base's content: ``git merge-tree`` on three synthetic commits.

    B has no parent; O (the user's tree) and T (the new pristine render) each have B as
    their only parent, so B is exactly the merge base.

    Returns:
        The merge, and the tree of T.
    """
    base_commit = ws.commit_tree(base_tree, [], "base: the pristine generation")
    ours_commit = ws.commit_tree(ours_tree, [base_commit], "yours: the project's files")
    ws.set_ref(f"refs/heads/{OURS_LABEL}", ours_commit)
    theirs_commit = ws.import_files(
        theirs, ref=f"refs/heads/{theirs_label}", parent=base_commit, message="theirs"
    )
    theirs_tree = ws.rev(f"{theirs_commit}^{{tree}}")
    assert theirs_tree is not None
    output = ws.merge(OURS_LABEL, theirs_label)
    merged = _conflicts_of(ws, output, theirs_label)
    _find_merged(ws, merged, base_tree, ours_tree, theirs_tree)
    return merged, theirs_tree


def merge_by_hashes(
    ws: Workspace,
    *,
    recorded: Mapping[str, FileRecord],
    ours_tree: str,
    theirs: Mapping[str, tuple[bytes, str]],
    theirs_label: str,
) -> tuple[Merged, str]:
    """Merge file by file when only the base's hashes are known (no pristine content).

    A file the user left as generated takes the template's new version (or goes, if
    the template dropped it); a file the template left alone keeps the user's; a file
    both changed is a conflict as a whole (its markers compare the two versions).

    Returns:
        The merge, and the tree of T.
    """
    theirs_commit = ws.import_files(theirs, ref=f"refs/heads/{theirs_label}", message="theirs")
    theirs_tree = ws.rev(f"{theirs_commit}^{{tree}}")
    assert theirs_tree is not None
    theirs_files = ws.ls_tree(theirs_tree)
    ours_files = ws.ls_tree(ours_tree)
    paths = (set(recorded) | set(theirs)) - {ANSWERS_FILE}
    ours_content = ws.read_blobs(ours_files[p].oid for p in paths if p in ours_files)
    updates: dict[str, Entry | None] = {}
    merged = Merged(tree="")
    pending: list[tuple[str, bytes, bytes, str, str]] = []
    for path in sorted(paths):
        base = recorded.get(path)
        ours = ours_files.get(path)
        new = theirs.get(path)
        mine = ours_content[ours.oid] if ours is not None else None
        b = (base.sha256, mode_of(base.executable)) if base is not None else None
        o = (file_digest(mine), ours.mode) if ours is not None and mine is not None else None
        t = (file_digest(new[0]), new[1]) if new is not None else None
        if o == t or t == b:
            continue  # the same already, or only the user changed it
        if o == b:  # only the template changed it
            updates[path] = theirs_files[path] if new is not None else None
            continue
        if o is not None and t is not None:
            if o[0] == t[0]:
                continue  # the same content; the user's mode is kept
            if b is not None and o[0] == b[0]:
                # The user changed only the mode, the template only the content.
                updates[path] = Entry(o[1], theirs_files[path].oid)
                continue
        kind, message = _kind_by_sides(path, b is not None, o is not None, t is not None)
        pending.append((path, mine or b"", new[0] if new is not None else b"", kind, message))
        updates[path] = Entry(t[1] if t is not None else (o[1] if o else REGULAR), "")
    contents = [
        ws.merge_file(ours, b"", theirs_bytes, [OURS_LABEL, "generated", theirs_label])
        if ours and theirs_bytes
        else _one_sided(ours, theirs_bytes, theirs_label)
        for _path, ours, theirs_bytes, _kind, _message in pending
    ]
    oids = ws.write_blobs(contents)
    for (path, _ours, _theirs, kind, message), content, oid in zip(
        pending, contents, oids, strict=True
    ):
        entry = updates[path]
        assert entry is not None
        updates[path] = Entry(entry.mode, oid)
        merged.conflicts.append(_conflict(path, kind, message, content))
    updates[ANSWERS_FILE] = theirs_files[ANSWERS_FILE]  # scaffold's own record
    merged.tree = ws.tree_with(ours_tree, updates)
    merged.notes.append(
        "the pristine generation was not available, so files were compared with the "
        "hashes in .scaffold.json: a file you changed that the template changed too is "
        "a conflict as a whole, and renames are not followed"
    )
    return merged, theirs_tree


def _one_sided(ours: bytes, theirs: bytes, theirs_label: str) -> bytes:
    """Markers for a file one side deleted: the whole of the other side against nothing.

    (Merging against an unknown base cannot show it: the deleted side would simply lose.)
    """

    def block(content: bytes) -> bytes:
        return content if not content or content.endswith(b"\n") else content + b"\n"

    return (
        f"<<<<<<< {OURS_LABEL}\n".encode()
        + block(ours)
        + b"=======\n"
        + block(theirs)
        + f">>>>>>> {theirs_label}\n".encode()
    )


def _kind_by_sides(path: str, in_base: bool, in_ours: bool, in_theirs: bool) -> tuple[str, str]:
    if not in_ours:
        return "delete/modify", f"{path}: you deleted it; the template changed it"
    if not in_theirs:
        return "modify/delete", f"{path}: you changed it; the template removed it"
    if not in_base:
        return "add/add", f"{path}: you and the template each made it, differently"
    return "content", f"{path}: you and the template both changed it"


def _conflicts_of(ws: Workspace, output: MergeOutput, theirs_label: str) -> Merged:
    """Turn merge-tree's conflicts into :class:`Conflict` s, with markers in every text file.

    For a modify/delete conflict git leaves the surviving version without markers; here
    it gets markers too (the deleted side empty), so that every conflict is visible in
    the file and ``scaffold check`` finds it.
    """
    merged = Merged(tree=output.tree, notes=[])
    if output.clean:
        return merged
    said: dict[str, tuple[str, str]] = {}
    for paths, kind, text in output.messages:
        if kind.startswith("CONFLICT"):
            for path in paths:
                said.setdefault(path, (kind, text))
    result_files = ws.ls_tree(output.tree)
    blob_ids = {e.oid for stages in output.stages.values() for e in stages.values()}
    blob_ids |= {result_files[p].oid for p in output.stages if p in result_files}
    blobs = ws.read_blobs(blob_ids)
    updates: dict[str, Entry | None] = {}
    for path, stages in sorted(output.stages.items()):
        git_kind, git_text = said.get(path, ("CONFLICT", f"{path}: conflict"))
        kind = _kind_of(stages, git_kind)
        base, ours, theirs = (stages.get(n) for n in (1, 2, 3))
        current = result_files.get(path)
        content = blobs.get(current.oid, b"") if current is not None else b""
        sides = [blobs.get(e.oid, b"") if e is not None else b"" for e in (ours, base, theirs)]
        if any(b"\0" in side[:8000] for side in sides):
            merged.conflicts.append(
                Conflict(path, "binary", f"{path}: a binary file both sides changed", (), False)
            )
            continue
        if not _MARKER_START.search(content):
            ours_side, base_side, theirs_side = sides
            labels = [OURS_LABEL, "generated", theirs_label]
            content = ws.merge_file(ours_side, base_side, theirs_side, labels)
            mode = (theirs or ours or base or Entry(REGULAR, "")).mode
            updates[path] = Entry(mode, ws.write_blobs([content])[0])
        _, message = _kind_by_sides(path, base is not None, ours is not None, theirs is not None)
        merged.conflicts.append(_conflict(path, kind, _say(message, git_text), content))
    if updates:
        merged.tree = ws.tree_with(output.tree, updates)
    return merged


def _kind_of(stages: Mapping[int, Entry], git_kind: str) -> str:
    has = {n for n in (1, 2, 3) if n in stages}
    if has == {1, 2, 3}:
        return "content"
    if has == {2, 3}:
        return "add/add"
    if has == {1, 2}:
        return "modify/delete"
    if has == {1, 3}:
        return "delete/modify"
    found = re.search(r"\(([^)]*)\)", git_kind)
    return found.group(1) if found else "conflict"


def _say(ours: str, git_text: str) -> str:
    """Prefer git's own sentence for the odd cases (renames), ours for the usual ones."""
    return git_text if "rename" in git_text.lower() else ours


def _conflict(path: str, kind: str, message: str, content: bytes) -> Conflict:
    return Conflict(path, kind, message, parse_hunks(content))


def _find_merged(
    ws: Workspace, merged: Merged, base_tree: str, ours_tree: str, theirs_tree: str
) -> None:
    """Name the files both sides changed that git merged without conflict."""
    conflicted = {c.path for c in merged.conflicts}
    yours = {c.path for c in ws.changes(base_tree, ours_tree)}
    template = {c.path for c in ws.changes(base_tree, theirs_tree)}
    merged.merged = sorted((yours & template) - conflicted - {ANSWERS_FILE})


def parse_hunks(content: bytes) -> tuple[Hunk, ...]:
    """Return the conflicting regions of a file with git's standard markers."""
    text = content.decode(errors="replace")
    hunks: list[Hunk] = []
    state = None
    start = 0
    sides: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        bare = line.rstrip("\r\n")
        if state is None and bare.startswith("<<<<<<<") and bare[7:8] in ("", " "):
            state, start, sides = "ours", number, {"ours": [], "base": [], "theirs": []}
        elif state == "ours" and bare.startswith(_MARKER_BASE):
            state = "base"
        elif state in ("ours", "base") and bare == _MARKER_MIDDLE:
            state = "theirs"
        elif state == "theirs" and bare.startswith(_MARKER_END) and bare[7:8] in ("", " "):
            hunks.append(
                Hunk(
                    start,
                    "".join(sides["ours"]),
                    "".join(sides["theirs"]),
                    "".join(sides["base"]) if sides["base"] else None,
                )
            )
            state = None
        elif state is not None:
            sides[state].append(line)
    return tuple(hunks)


def has_markers(content: bytes) -> bool:
    """Tell whether a file holds a complete set of conflict markers."""
    if b"\0" in content[:8000] or not _MARKER_START.search(content):
        return False
    return bool(parse_hunks(content))


__all__ = [
    "OURS_LABEL",
    "Conflict",
    "Hunk",
    "Merged",
    "has_markers",
    "merge_by_hashes",
    "merge_trees",
    "parse_hunks",
]
