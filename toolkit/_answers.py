"""The answers file, ``.scaffold.json``: what a project is, and what scaffold generated in it."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ._spec import ProjectSpec
from .errors import NotAProjectError

#: The answers file every project gets; ``scaffold verify`` and the lifecycle read it.
ANSWERS_FILE = ".scaffold.json"
#: Files and folders that never belong to a template layer's content.
_NOT_TEMPLATES = frozenset({"__pycache__", ".DS_Store"})
_SPEC_KEYS = ("kind", "name", "framework", "database", "features")


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One committed file as scaffold generated it.

    Attributes:
        layer: The layer folder it came from, under ``templates/`` (``_shared/fastapi``).
        sha256: The hex SHA-256 of the generated content.
        executable: Whether it was generated with the executable bits.
    """

    layer: str
    sha256: str
    executable: bool = False


@dataclass(frozen=True)
class TemplateRecord:
    """The cookiecutter template a project was made from, and the answers it was given.

    Attributes:
        source: Where to fetch it again: an absolute folder or ``.zip`` path, or a git
            URL (a local repository's absolute path included).
        kind: ``folder``, ``zip`` or ``git``.
        checkout: The branch, tag or commit asked for (``--checkout``), if any.
        commit: The commit rendered, for a git source.
        hooks: Whether its hooks ran (``--trust``); an update runs them again.
        answers: The answers to its ``cookiecutter.json`` (private ``_`` keys left out).
        commands: What ``scaffold verify`` runs (``setup``, ``lint``, ``test``), from the
            template's ``cookiecutter.json`` (``"_scaffold": {"commands": {...}}``).
    """

    source: str
    kind: str
    checkout: str | None = None
    commit: str | None = None
    hooks: bool = False
    answers: Mapping[str, Any] = field(default_factory=dict)
    commands: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the template's part of ``.scaffold.json``."""
        return {
            "type": "cookiecutter",
            "source": self.source,
            "kind": self.kind,
            "checkout": self.checkout,
            "commit": self.commit,
            "hooks": self.hooks,
        }


@dataclass(frozen=True)
class ProjectRecord:
    """What ``.scaffold.json`` says.

    Attributes:
        version: The scaffold version that generated (or last updated) the project.
        spec: The answers; ``None`` for a project of a cookiecutter template.
        files: Every generated, committed file (not ``.env``, generated keys or the
            answers file itself) by relative path; ``None`` in files written by
            scaffold 0.1.0, which recorded only the answers.
        templates: A fingerprint of the template sources the files were rendered
            from (see :func:`template_fingerprint`); ``None`` before 0.2.0.
        env: The variables ``.env`` was given, with their defaults (``None`` for a
            generated secret, which is never recorded); ``None`` before 0.2.0.
        generated: The local files made fresh for the project (keys), by path: the
            generator; ``None`` before 0.2.0.
        conflicts: Files an update left with conflict markers, to be resolved.
        packs: The layer packs the project is made with, by name: their version
            (recorded only when there are some, so that an update finds them again).
        template: The cookiecutter template and answers of a project made from one.
    """

    version: str
    spec: ProjectSpec | None
    files: Mapping[str, FileRecord] | None = None
    templates: str | None = None
    env: Mapping[str, str | None] | None = None
    generated: Mapping[str, str] | None = None
    conflicts: tuple[str, ...] = field(default=())
    packs: Mapping[str, str | None] = field(default_factory=dict)
    template: TemplateRecord | None = None

    def without_conflicts(self) -> ProjectRecord:
        """Return the record as generated, without the list of conflicts."""
        return replace(self, conflicts=())


def file_digest(content: bytes) -> str:
    """Return the hex SHA-256 of a file's content, as recorded."""
    return hashlib.sha256(content).hexdigest()


def dump_record(record: ProjectRecord) -> str:
    """Return the text of ``.scaffold.json`` for ``record``.

    It stays plain JSON; the files are written one per line, so that an update's diff
    of the answers file shows one changed line per changed file.
    """
    head: dict[str, Any] = {"scaffold_version": record.version}
    if record.spec is not None:
        head.update(record.spec.to_dict())
    if record.template is not None:
        head["template"] = record.template.to_dict()
        head["answers"] = dict(record.template.answers)
        if record.template.commands:
            head["commands"] = dict(record.template.commands)
    if record.templates is not None:
        head["templates"] = record.templates
    if record.env is not None:
        head["env"] = dict(record.env)
    if record.generated is not None:
        head["generated"] = dict(record.generated)
    if record.packs:
        head["packs"] = dict(sorted(record.packs.items()))
    if record.conflicts:
        head["conflicts"] = list(record.conflicts)
    text = json.dumps(head, indent=2)
    if record.files is None:
        return text + "\n"
    lines = []
    for path, entry in sorted(record.files.items()):
        value: dict[str, Any] = {"layer": entry.layer, "sha256": entry.sha256}
        if entry.executable:
            value["executable"] = True
        lines.append(f"    {json.dumps(path)}: {json.dumps(value)}")
    files = "{\n" + ",\n".join(lines) + "\n  }" if lines else "{}"
    return f'{text[:-2]},\n  "files": {files}\n}}\n'


def parse_record(text: str, *, where: str = ANSWERS_FILE) -> ProjectRecord:
    """Read the content of an answers file (0.1.0's, without files, included).

    Raises:
        NotAProjectError: It is not valid JSON or lacks what every answers file has.
    """
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        template = _template_record(data) if "template" in data else None
        needed = ("answers",) if template is not None else _SPEC_KEYS[:4]
        missing = [key for key in ("scaffold_version", *needed) if key not in data]
        if missing:
            raise KeyError(", ".join(missing))
        spec = ProjectSpec.from_dict(data) if template is None else None
        raw_files = data.get("files")
        files: dict[str, FileRecord] | None = None
        if raw_files is not None:
            files = {
                str(path): FileRecord(
                    layer=str(entry["layer"]),
                    sha256=str(entry["sha256"]),
                    executable=bool(entry.get("executable", False)),
                )
                for path, entry in dict(raw_files).items()
            }
        templates = data.get("templates")
        env = data.get("env")
        generated = data.get("generated")
        return ProjectRecord(
            version=str(data["scaffold_version"]),
            spec=spec,
            files=files,
            templates=None if templates is None else str(templates),
            env=None
            if env is None
            else {str(k): None if v is None else str(v) for k, v in dict(env).items()},
            generated=None
            if generated is None
            else {str(k): str(v) for k, v in dict(generated).items()},
            conflicts=tuple(str(p) for p in data.get("conflicts", ())),
            packs={
                str(k): None if v is None else str(v)
                for k, v in dict(data.get("packs", {})).items()
            },
            template=template,
        )
    except (ValueError, KeyError, TypeError) as exc:
        reason = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise NotAProjectError(f"{where} is not a valid answers file: {reason}") from exc


def _template_record(data: Mapping[str, Any]) -> TemplateRecord:
    raw = data["template"]
    if not isinstance(raw, dict) or raw.get("type") != "cookiecutter":
        raise TypeError("the template is not a cookiecutter template")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise TypeError("its answers are not a JSON object")
    checkout = raw.get("checkout")
    commit = raw.get("commit")
    return TemplateRecord(
        source=str(raw["source"]),
        kind=str(raw["kind"]),
        checkout=None if checkout is None else str(checkout),
        commit=None if commit is None else str(commit),
        hooks=bool(raw.get("hooks", False)),
        answers=answers,
        commands={str(k): str(v) for k, v in dict(data.get("commands", {})).items()},
    )


def read_record(project: Path) -> ProjectRecord:
    """Read ``.scaffold.json`` of the project folder ``project``.

    Raises:
        NotAProjectError: There is none, or it is damaged.
    """
    answers = project / ANSWERS_FILE
    try:
        text = answers.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotAProjectError(f"{project} is not a scaffold project (no {ANSWERS_FILE})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NotAProjectError(f"cannot read {answers}: {exc}") from exc
    return parse_record(text, where=str(answers))


def template_fingerprint(
    files: Iterable[tuple[str, Path]], layers: Iterable[tuple[str, Path]]
) -> str:
    """Return a digest of every template source a project is rendered from.

    It covers the given files by name (the catalog, the kind's ``kind.toml``, the
    catalog fragments of the packs used) and each layer folder's files (names,
    executable bits, content; ``layer.toml`` and partials included), so a template
    edited within one version changes it; ``scaffold check`` compares it instead of
    rendering. The toolkit's own code is covered by its version only.

    Args:
        files: Single files, each with its name below its source's root.
        layers: The layer folders, each with its name (``_shared/fastapi``).
    """
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(f"{name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name, layer in layers:
        digest.update(f"layer {name}\0".encode())
        _digest_folder(digest, layer)
    return f"sha256:{digest.hexdigest()}"


def folder_fingerprint(folder: Path, *, skip: Iterable[str] = ()) -> str:
    """Return a digest of a folder's files (names, executable bits, content), as recorded.

    Args:
        folder: The folder.
        skip: Names of files and folders to leave out wherever they are (``.git``).
    """
    digest = hashlib.sha256()
    _digest_folder(digest, folder, frozenset(skip))
    return f"sha256:{digest.hexdigest()}"


def _digest_folder(digest: Any, folder: Path, skip: frozenset[str] = frozenset()) -> None:
    """Feed a folder's files into ``digest``: their names, executable bits and content."""
    left_out = _NOT_TEMPLATES | skip
    top = os.fspath(folder)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in left_out)
        below = dirpath[len(top) + 1 :].replace(os.sep, "/")
        for name in sorted(filenames):
            if name in left_out:
                continue
            source = os.path.join(dirpath, name)
            with open(source, "rb") as handle:
                content = handle.read()
            executable = bool(os.stat(source).st_mode & stat.S_IXUSR)
            relative = f"{below}/{name}" if below else name
            digest.update(f"{relative}\0{int(executable)}\0".encode())
            digest.update(hashlib.sha256(content).digest())


def version_key(version: str) -> tuple[int, ...]:
    """Return a version's numbers for comparison (``0.10.0`` after ``0.9.1``).

    Raises:
        NotAProjectError: The version is no dotted list of numbers.
    """
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        raise NotAProjectError(f"unreadable scaffold version {version!r}") from None


__all__ = [
    "ANSWERS_FILE",
    "FileRecord",
    "ProjectRecord",
    "TemplateRecord",
    "dump_record",
    "file_digest",
    "parse_record",
    "read_record",
    "template_fingerprint",
    "version_key",
]
