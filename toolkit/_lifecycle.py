"""A generated project's lifecycle: check it, diff it, update it, change its answers.

An update runs in explicit phases (copier's Worker has ``Phase.RENDER``, ``Phase.TASKS``):

``read``    the answers file and the repository's state; refuse what cannot be updated
``render``  the pristine render of the new version or answers ("theirs")
``base``    the pristine generation the project started from, verified against its hashes
``merge``   git's three-way merge in a scratch repository; conflicts, .env and keys planned
``write``   every change through a journal that can undo it
``verify``  ``scaffold verify`` on the result (``--verify``)
``commit``  objects, index and references: one commit "Update from scaffold X to Y"

Nothing is written before ``write``; any exception or Ctrl-C from then on rolls the
project back through the journal (files, modes, folders, index, references).

What a project is rendered from is its :class:`Blueprint`: scaffold's catalog and a spec,
or a cookiecutter template and its answers (``toolkit._cookiecutter``); every phase
above is the same code for both.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ._answers import (
    ANSWERS_FILE,
    FileRecord,
    ProjectRecord,
    dump_record,
    file_digest,
    parse_record,
    read_record,
    version_key,
)
from ._catalog import Catalog, load_catalog
from ._journal import Journal, journal_folder, recover
from ._merge import Conflict, Merged, has_markers, merge_by_hashes, merge_trees
from ._model import ProjectModel, build_model
from ._plumbing import (
    REGULAR,
    SYMLINK,
    Change,
    Entry,
    Repository,
    Workspace,
    identity_env,
    mode_of,
    probe,
)
from ._render import (
    SecretFactory,
    catalog_fingerprint,
    dotenv_value,
    make_generated,
    new_secret,
    render,
)
from ._spec import ProjectSpec
from ._version import __version__
from .errors import (
    JournalError,
    NotAProjectError,
    ProjectStateError,
    UnknownChoiceError,
    UpdateError,
    UsageError,
)

if TYPE_CHECKING:
    from ._verify import StepResult, VerifyReport

ConflictMode = Literal["abort", "markers"]
#: The phases of an update, in order (``commit:*`` are the steps of the last one).
PHASES = (
    "read",
    "render",
    "base",
    "merge",
    "write",
    "verify",
    "commit",
    "commit:objects",
    "commit:index",
    "commit:refs",
)
#: Called with each phase's name as it starts; tests stop an update there (Ctrl-C, errors).
phase_hook: Callable[[str], None] | None = None
#: The trailer that marks a pristine commit, and the subject of 0.1.0's first commit.
PRISTINE_TRAILER = "Scaffold-Pristine"
PRISTINE_REF = "refs/scaffold/pristine"
_FIRST_COMMIT = "Initial commit from scaffold "
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")


def _phase(name: str) -> None:
    if phase_hook is not None:
        phase_hook(name)


# -- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file an update changes.

    Attributes:
        path: Relative to the project.
        action: ``added``, ``modified``, ``deleted`` or ``mode`` (only the executable bit).
        merged: Whether both you and the template had changed it (merged by git).
    """

    path: str
    action: str
    merged: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {"path": self.path, "action": self.action, "merged": self.merged}


@dataclass(frozen=True)
class UpdateResult:
    """What an update did, or would do (``diff``, or when it stopped at conflicts).

    Attributes:
        path: The project folder.
        old_spec: Its answers before (``None`` for a cookiecutter template's project).
        spec: Its answers after (likewise).
        old_version: The scaffold version it was at.
        version: The version it is brought to (this toolkit's).
        base: Where the pristine generation came from (for people).
        changes: The files changed, in path order.
        conflicts: The files that conflict.
        env_added: Variables appended to ``.env``.
        env_updated: Variables of ``.env`` set to a new default (they held the old default).
        env_to_set: New variables to set by hand (there is no ``.env``).
        generated: Local files made because the new version needs them (keys).
        notes: Other things to know.
        written: Whether the project was changed.
        commit: The update commit, when one was made.
        pristine: The new pristine commit, when one was made.
        message: The commit message's subject (also when no commit is made).
        patch: The unified diff of the changes (``diff`` only).
        verification: The report of ``--verify``.
        name: The project's name.
        label: What conflict markers call the new version (``scaffold-0.2.0``).
    """

    path: Path
    old_spec: ProjectSpec | None
    spec: ProjectSpec | None
    old_version: str
    version: str
    base: str = ""
    changes: tuple[FileChange, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    env_added: tuple[str, ...] = ()
    env_updated: tuple[str, ...] = ()
    env_to_set: tuple[str, ...] = ()
    generated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    written: bool = False
    commit: str | None = None
    pristine: str | None = None
    message: str = ""
    patch: str = ""
    verification: VerifyReport | None = None
    name: str = ""
    label: str = f"scaffold-{__version__}"

    @property
    def up_to_date(self) -> bool:
        """Whether there was nothing to change."""
        return not (self.changes or self.conflicts or self.env_added or self.env_updated) and (
            not self.generated
        )

    @property
    def ok(self) -> bool:
        """Whether the update has no conflict and passed verification (when asked)."""
        verified = self.verification is None or self.verification.ok
        return not self.conflicts and verified

    @property
    def exit_code(self) -> int:
        """0 when ok, 1 for conflicts or a failed verification."""
        return 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data (``--json``)."""
        return {
            "path": str(self.path),
            "name": self.name,
            "old_spec": None if self.old_spec is None else self.old_spec.to_dict(),
            "spec": None if self.spec is None else self.spec.to_dict(),
            "old_version": self.old_version,
            "version": self.version,
            "base": self.base,
            "ok": self.ok,
            "up_to_date": self.up_to_date,
            "written": self.written,
            "commit": self.commit,
            "pristine": self.pristine,
            "message": self.message,
            "changes": [c.to_dict() for c in self.changes],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "env_added": list(self.env_added),
            "env_updated": list(self.env_updated),
            "env_to_set": list(self.env_to_set),
            "generated": list(self.generated),
            "notes": list(self.notes),
            "verification": None if self.verification is None else self.verification.to_dict(),
        }


@dataclass(frozen=True)
class CheckResult:
    """Whether a project is up to date with this toolkit, and free of conflict markers.

    Attributes:
        path: The project folder.
        spec: Its answers (``None`` for a project of a cookiecutter template).
        version: The scaffold version it records.
        toolkit_version: This toolkit's version.
        up_to_date: Whether ``scaffold update`` would change nothing.
        reason: One line saying why (for people).
        markers: Files that still hold conflict markers.
        interrupted: Whether an interrupted update's journal is waiting to be rolled back.
        name: The project's name (its folder's, for a cookiecutter template's project).
    """

    path: Path
    spec: ProjectSpec | None
    version: str
    toolkit_version: str
    up_to_date: bool
    reason: str
    markers: tuple[str, ...] = ()
    interrupted: bool = False
    name: str = ""

    @property
    def ok(self) -> bool:
        """Up to date, no markers, no interrupted update."""
        return self.up_to_date and not self.markers and not self.interrupted

    @property
    def exit_code(self) -> int:
        """0 when ok, else 1."""
        return 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data (``--json``)."""
        return {
            "path": str(self.path),
            "name": self.name,
            "spec": None if self.spec is None else self.spec.to_dict(),
            "version": self.version,
            "toolkit_version": self.toolkit_version,
            "up_to_date": self.up_to_date,
            "ok": self.ok,
            "reason": self.reason,
            "markers": list(self.markers),
            "interrupted": self.interrupted,
        }


# -- the public functions --------------------------------------------------------------------


def check(
    path: str | os.PathLike[str], *, catalog: Catalog | None = None, checkout: str | None = None
) -> CheckResult:
    """Tell whether the project at ``path`` is up to date, quickly (nothing is rendered).

    It compares the recorded version and template fingerprint with this toolkit's;
    only when the templates changed within one version does it render, to see whether
    this project's files changed. It also looks for conflict markers left in the files
    scaffold generated and in those an update left conflicting. A project of a
    cookiecutter template is compared with the template's newest commit (of the
    recorded ``--checkout``, or of ``checkout``), fetched for the purpose.

    Raises:
        NotAProjectError: There is no valid ``.scaffold.json``.
        ProjectStateError: A newer scaffold made the project.
    """
    project = Path(os.path.abspath(path))
    record = _read(project)
    interrupted = journal_folder(project).is_dir()
    markers = tuple(_files_with_markers(project, record))
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scaffold-check-")))
        options = _Options(checkout=checkout, check_only=True)
        blueprint = make_blueprint(project, record, options, catalog)
        blueprint.prepare(scratch)
        up_to_date, reason = blueprint.status()
    if markers:
        reason = f"conflict markers remain in {len(markers)} file(s)"
    if interrupted:
        reason = "an update was interrupted; run scaffold update to roll it back"
    return CheckResult(
        project,
        record.spec,
        record.version,
        __version__,
        up_to_date,
        reason,
        markers,
        interrupted,
        name=_name_of(project, record),
    )


def diff(
    path: str | os.PathLike[str],
    *,
    database: str | None = None,
    add_features: Sequence[str] = (),
    remove_features: Sequence[str] = (),
    checkout: str | None = None,
    answers: Mapping[str, str] | None = None,
    trust: bool = False,
    catalog: Catalog | None = None,
) -> UpdateResult:
    """Compute what :func:`update` would change, as a unified diff; write nothing.

    The project's current files count, committed or not. See :func:`update`.
    """
    options = _Options(
        database=database,
        add=frozenset(add_features),
        remove=frozenset(remove_features),
        checkout=checkout,
        answers=dict(answers or {}),
        trust=trust,
        allow_dirty=True,
        pretend=True,
    )
    return _Update(Path(path), options, catalog, new_secret).run()


def update(
    path: str | os.PathLike[str],
    *,
    database: str | None = None,
    framework: str | None = None,
    add_features: Sequence[str] = (),
    remove_features: Sequence[str] = (),
    checkout: str | None = None,
    answers: Mapping[str, str] | None = None,
    trust: bool = False,
    conflicts: ConflictMode = "abort",
    allow_dirty: bool = False,
    verify: bool = False,
    catalog: Catalog | None = None,
    make_secret: SecretFactory = new_secret,
    on_step: Callable[[StepResult], None] | None = None,
) -> UpdateResult:
    """Bring the project at ``path`` to this toolkit's templates, or to new answers.

    A three-way merge: the pristine generation the project started from (base), the
    pristine render of this version and the answers (theirs), the project's files
    (ours). A change only the template made is applied, one only you made is kept, and
    both on the same lines is a conflict. With git, the result is one commit
    "Update from scaffold X to Y" whose second parent is the new pristine generation.

    Args:
        path: The project folder.
        database: Change the database (one offered for the kind and framework).
        framework: Refused unless it is the project's own: a framework change would
            replace the whole code base.
        add_features: Features to add (``docker``, ``ci``).
        remove_features: Features to remove.
        checkout: For a project of a cookiecutter template: the branch, tag or commit
            to update to (default: the recorded ``--checkout``, else the newest commit).
        answers: For a project of a cookiecutter template: answers to change.
        trust: Run a cookiecutter template's hooks (needed when it has any).
        conflicts: ``abort`` writes nothing when a file conflicts; ``markers`` writes
            git's standard conflict markers into those files (and commits nothing).
        allow_dirty: Update a tree with uncommitted changes (then nothing is committed:
            the update is staged as a merge for you to review and commit).
        verify: Run ``scaffold verify`` on the result first; if it fails, the project is
            restored and nothing is committed.
        catalog: The catalog to use (the toolkit's own by default).
        make_secret: Makes the secrets of new ``.env`` variables.
        on_step: Progress of ``verify``.

    Returns:
        What changed; ``result.ok`` is false when files conflict or verification failed.

    Raises:
        NotAProjectError: No valid ``.scaffold.json``.
        ProjectStateError: Uncommitted changes, a merge or rebase in progress, a newer
            scaffold, a framework change, no pristine generation to compare with.
        UsageError: An answer that is not offered (nothing is written).
        UpdateError: Writing failed; the project was restored.
    """
    options = _Options(
        database=database,
        framework=framework,
        add=frozenset(add_features),
        remove=frozenset(remove_features),
        checkout=checkout,
        answers=dict(answers or {}),
        trust=trust,
        conflicts=conflicts,
        allow_dirty=allow_dirty,
        verify=verify,
        on_step=on_step,
    )
    return _Update(Path(path), options, catalog, make_secret).run()


def add_feature(path: str | os.PathLike[str], feature: str, **options: Any) -> UpdateResult:
    """Add an optional feature (``docker``, ``ci``) to a project; see :func:`update`."""
    return update(path, add_features=[feature], **options)


def remove_feature(path: str | os.PathLike[str], feature: str, **options: Any) -> UpdateResult:
    """Remove an optional feature from a project; see :func:`update`.

    Its files are removed where you did not change them; a changed one is a conflict.
    """
    return update(path, remove_features=[feature], **options)


# -- the update ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    database: str | None = None
    framework: str | None = None
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()
    checkout: str | None = None
    answers: Mapping[str, str] = field(default_factory=dict)
    trust: bool = False
    check_only: bool = False
    conflicts: ConflictMode = "abort"
    allow_dirty: bool = False
    verify: bool = False
    pretend: bool = False
    on_step: Callable[[StepResult], None] | None = None


@dataclass
class _Base:
    """The pristine generation the project started from."""

    source: str
    commit: str | None = None
    tree: str | None = None


@dataclass
class _Plan:
    merged: Merged
    base_tree: str | None
    ours_tree: str
    theirs_tree: str
    changes: list[Change]
    env_text: str | None = None
    env_added: list[str] = field(default_factory=list)
    env_updated: list[str] = field(default_factory=list)
    env_to_set: list[str] = field(default_factory=list)
    generated: dict[str, str] = field(default_factory=dict)


# -- what a project is made from ---------------------------------------------------------------


class Blueprint(Protocol):
    """What a project is rendered from, as the lifecycle sees it.

    Scaffold's catalog with a spec (:class:`_CatalogBlueprint`), or a cookiecutter template
    with its answers (``toolkit._cookiecutter.TemplateBlueprint``): the update, its base,
    merge, journal and commits are the same for both.

    Attributes:
        spec: The new answers of a project of scaffold's kinds, else ``None``.
        label: What conflict markers call the new version (``scaffold-0.2.0``).
        up_to_date_note: The note of an update that had nothing to do.
        rendered_again: How the base is described when :meth:`render_recorded` gave it.
    """

    spec: ProjectSpec | None
    label: str
    up_to_date_note: str
    rendered_again: str

    def prepare(self, scratch: Path) -> None:
        """Fetch what rendering needs into ``scratch`` (a template's clone)."""

    def status(self) -> tuple[bool, str]:
        """Whether an update would change nothing, and why (``scaffold check``)."""

    def up_to_date(self) -> bool:
        """Whether the update has nothing to do (a quick test; nothing is rendered)."""

    def render(self) -> tuple[dict[str, tuple[bytes, str]], ProjectModel]:
        """The pristine new generation ("theirs", answers file included) and its model."""

    def render_recorded(
        self, theirs: Mapping[str, tuple[bytes, str]]
    ) -> Mapping[str, tuple[bytes, str]] | None:
        """The recorded generation rendered again, when that can be exact (else ``None``)."""

    def old_generated(self) -> Mapping[str, str]:
        """The generated keys of an answers file that did not record them (0.1.0)."""

    def subject(self) -> str:
        """The subject of the update's commit."""

    def pristine_message(self) -> str:
        """The message of the new pristine commit (with the trailer the next update seeks)."""

    def verify(self, project: Path, on_step: Callable[[StepResult], None] | None) -> VerifyReport:
        """Verify the updated project (``--verify``)."""


def make_blueprint(
    project: Path, record: ProjectRecord, options: _Options, catalog: Catalog | None
) -> Blueprint:
    """Return what the project is made from, with the options checked against it."""
    if record.template is not None:
        from ._cookiecutter import TemplateBlueprint

        refused = [
            name
            for name, value in (
                ("--database", options.database),
                ("--framework", options.framework),
                ("add feature", options.add),
                ("remove feature", options.remove),
            )
            if value
        ]
        if refused:
            raise UsageError(
                f"{', '.join(refused)}: {project.name} is made from a cookiecutter template, "
                "which has no such answers; change its answers with --answer KEY=VALUE"
            )
        return TemplateBlueprint(
            project,
            record,
            checkout=options.checkout,
            answers=options.answers,
            trust=options.trust,
            renders=not options.check_only,
        )
    given = [
        name
        for name, value in (
            ("--checkout", options.checkout),
            ("--answer", options.answers),
            ("--trust", options.trust),
        )
        if value
    ]
    if given:
        raise UsageError(
            f"{', '.join(given)}: only for a project made from a cookiecutter template "
            f"({project.name} is made from one of scaffold's kinds)"
        )
    return _CatalogBlueprint(record, options, catalog or load_catalog())


class _CatalogBlueprint:
    """A project of scaffold's own kinds (and packs): rendered from the catalog and a spec."""

    label = f"scaffold-{__version__}"
    up_to_date_note = f"already up to date with scaffold {__version__}"
    rendered_again = "rendered again by this scaffold"

    def __init__(self, record: ProjectRecord, options: _Options, catalog: Catalog) -> None:
        assert record.spec is not None
        self.record = record
        self.old = record.spec
        self.catalog = catalog
        catalog.require_packs(record.packs, record.spec.name)
        self.spec: ProjectSpec | None = self._new_spec(record.spec, options)

    @property
    def new(self) -> ProjectSpec:
        assert self.spec is not None
        return self.spec

    def _new_spec(self, old: ProjectSpec, options: _Options) -> ProjectSpec:
        if options.framework is not None and options.framework != old.framework:
            if options.framework not in self.catalog.frameworks:
                raise UnknownChoiceError("framework", options.framework, self.catalog.frameworks)
            raise ProjectStateError(
                f"changing the framework ({old.framework} to {options.framework}) is not "
                "offered: every module of the code base is the framework's; generate a new "
                "project with scaffold new and move your code across"
            )
        features = set(old.features)
        for feature in sorted(options.add | options.remove):
            if feature not in self.catalog.features:
                raise UnknownChoiceError("feature", feature, self.catalog.features)
        for feature in sorted(options.add):
            if feature in features:
                raise UsageError(f"{old.name} already has the feature {feature!r}")
            features.add(feature)
        for feature in sorted(options.remove):
            if feature not in features:
                raise UsageError(f"{old.name} does not have the feature {feature!r}")
            features.discard(feature)
        spec = ProjectSpec(
            kind=old.kind,
            name=old.name,
            framework=old.framework,
            database=options.database or old.database,
            features=frozenset(features),
        )
        self.catalog.validate(spec)
        return spec

    def prepare(self, scratch: Path) -> None:
        """Nothing to fetch: the catalog is installed."""

    def status(self) -> tuple[bool, str]:
        """Compare the version and fingerprint; render only when the templates changed."""
        record, catalog = self.record, self.catalog
        if record.version != __version__:
            return False, f"made by scaffold {record.version}; this is {__version__}"
        if record.files is None or record.templates != _fingerprint(catalog, self.old):
            rendered = _committed_files(render(self.old, catalog=catalog, with_local=False))
            if record.files is not None and _matches(rendered, record.files):
                return True, "up to date (the templates changed, but not this project's files)"
            return False, f"the templates of scaffold {__version__} changed since it was generated"
        return True, f"up to date with scaffold {__version__}"

    def up_to_date(self) -> bool:
        """Same answers, same version, same template sources."""
        record = self.record
        return (
            self.spec == record.spec
            and record.version == __version__
            and record.templates is not None
            and record.templates == _fingerprint(self.catalog, self.old)
        )

    def render(self) -> tuple[dict[str, tuple[bytes, str]], ProjectModel]:
        """Render the new spec without local files."""
        rendered = render(self.new, catalog=self.catalog, with_local=False)
        files = {str(p): (f.content, mode_of(f.executable)) for p, f in rendered.files.items()}
        return files, rendered.model

    def render_recorded(
        self, theirs: Mapping[str, tuple[bytes, str]]
    ) -> Mapping[str, tuple[bytes, str]] | None:
        """The recorded spec rendered by this scaffold: exact only at the recorded version."""
        if self.record.version != __version__:
            return None
        if self.spec == self.old:
            return theirs
        rendered = render(self.old, catalog=self.catalog, with_local=False)
        return {str(p): (f.content, mode_of(f.executable)) for p, f in rendered.files.items()}

    def old_generated(self) -> Mapping[str, str]:
        """The keys that today's layers generate for the recorded spec."""
        return build_model(self.catalog.layer_paths(self.old)).generate

    def subject(self) -> str:
        """What changed: answers, packs, the scaffold version."""
        packs = {p.name: p.version for p in self.catalog.packs_of(self.new)}
        return commit_subject(self.record, self.new, packs)

    def pristine_message(self) -> str:
        """The pristine commit of the new spec."""
        return pristine_message(self.new)

    def verify(self, project: Path, on_step: Callable[[StepResult], None] | None) -> VerifyReport:
        """``scaffold verify`` with this catalog."""
        from ._verify import verify as run_verify

        return run_verify(project, catalog=self.catalog, on_step=on_step)


def _name_of(project: Path, record: ProjectRecord) -> str:
    """The project's name: its spec's, or its folder's (a cookiecutter template's project)."""
    return record.spec.name if record.spec is not None else project.name


class _Update:
    """One update of one project, phase by phase."""

    def __init__(
        self,
        project: Path,
        options: _Options,
        catalog: Catalog | None,
        make_secret: SecretFactory,
    ) -> None:
        self.project = Path(os.path.abspath(project))  # "..": a real name, for the journal
        self.options = options
        self.catalog = catalog
        self.make_secret = make_secret
        self.notes: list[str] = []
        self.repo: Repository | None = None
        self.dirty = False

    # -- read ------------------------------------------------------------------------------

    def run(self) -> UpdateResult:
        _phase("read")
        if not self.project.is_dir():
            raise NotAProjectError(f"{self.project} is not a folder")
        self._recover()
        self.record = _read(self.project)
        self.blueprint = make_blueprint(self.project, self.record, self.options, self.catalog)
        self.spec = self.blueprint.spec
        self._check_repository()
        self._refuse_markers()
        try:
            with contextlib.ExitStack() as stack:
                scratch = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="scaffold-update-")
                )
                template = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="scaffold-template-")
                )
                self.blueprint.prepare(Path(template))
                result = self._result()
                if self.blueprint.up_to_date():
                    return replace(result, notes=(self.blueprint.up_to_date_note,))
                return self._run(Path(scratch), result)
        except OSError as exc:  # only before writing: _apply turns its own into UpdateError
            raise UpdateError(f"the update failed: {exc}; nothing was changed") from exc

    def _run(self, scratch: Path, result: UpdateResult) -> UpdateResult:
        """Render, find the base, merge (all in ``scratch``), then apply unless stopped."""
        self.ws = Workspace(scratch, self.repo)
        _phase("render")
        theirs, model = self.blueprint.render()
        _phase("base")
        base = self._find_base(theirs)
        _phase("merge")
        plan = self._merge(base, theirs, model)
        result = self._planned(result, base, plan)
        blocked = plan.merged.conflicts and (
            self.options.conflicts == "abort" or any(not c.markers for c in plan.merged.conflicts)
        )
        if blocked and self.options.conflicts == "markers":
            note = "some conflicts cannot hold markers (binary, or in the way): nothing written"
            result = replace(result, notes=(*result.notes, note))
        if self.options.pretend or blocked or result.up_to_date:
            if self.options.pretend:
                patch = self.ws.patch(plan.ours_tree, plan.merged.tree)
                result = replace(result, patch=patch)
            return result
        return self._apply(result, base, plan)

    def _recover(self) -> None:
        if not journal_folder(self.project).is_dir():
            return
        if self.options.pretend:
            raise ProjectStateError(
                f"an update of {self.project} was interrupted: run scaffold update to roll "
                "it back first"
            )
        done = recover(self.project)
        if done:
            self.notes.append(done)

    def _check_repository(self) -> None:
        found = probe(self.project)
        if found.enclosing is not None:
            self.notes.append(
                f"the project lies inside the repository at {found.enclosing}: its changes "
                "are not committed; review them with git status and commit them"
            )
            return
        repo = found.repository
        if repo is None:
            return
        if repo.head is None:
            self.notes.append(
                "the repository has no commit yet: updated as files; nothing is committed"
            )
            return
        busy = repo.state_in_progress()
        if busy is not None:
            raise ProjectStateError(
                f"the repository is in the middle of {busy}: finish or abort it first"
            )
        if (repo.git_dir / "index.lock").exists():
            raise ProjectStateError(
                f"{repo.git_dir / 'index.lock'} exists: another git command is running "
                "(or one crashed; then remove the file)"
            )
        status = repo.git("status", "--porcelain=v1", "-z", "--untracked-files=no")
        changed = [entry[3:].decode(errors="replace") for entry in status.split(b"\0") if entry]
        if changed:
            self.dirty = True
            if not self.options.allow_dirty:
                shown = ", ".join(changed[:5]) + (", ..." if len(changed) > 5 else "")
                raise ProjectStateError(
                    f"uncommitted changes in {len(changed)} file(s) ({shown}): commit or "
                    "stash them first, or use --allow-dirty"
                )
        self.repo = repo

    def _refuse_markers(self) -> None:
        if self.options.pretend:
            return
        left = list(_files_with_markers(self.project, self.record))
        if left:
            raise ProjectStateError(
                f"conflict markers remain in {', '.join(left[:5])}: resolve them first"
            )

    # -- base ------------------------------------------------------------------------------

    def _find_base(self, theirs: Mapping[str, tuple[bytes, str]]) -> _Base:
        """Find the pristine generation: in the history, rendered again, or only its hashes."""
        record = self.record
        if self.repo is not None:
            found = self._base_in_history()
            if found is not None:
                return found
        if record.files is not None:
            again = self.blueprint.render_recorded(theirs)
            if again is not None and _matches(_without_answers(again), record.files):
                commit = self.ws.import_files(again, ref="refs/heads/base", message="base")
                return _Base(self.blueprint.rendered_again, None, f"{commit}^{{tree}}")
        if record.files is not None:
            return _Base("the hashes recorded in .scaffold.json")
        where = (
            "its first commit from scaffold is not in the history (a shallow clone, or a "
            "rewritten history?)"
            if self.repo is not None
            else "it has no git repository"
        )
        raise ProjectStateError(
            f"cannot tell your changes from scaffold's: the project was made by scaffold "
            f"{record.version}, which recorded no hashes, and {where}"
        )

    def _base_in_history(self) -> _Base | None:
        for commit, how in self._candidates():
            if self._is_base(commit, how):
                return _Base(how, commit, f"{commit}^{{tree}}")
        return None

    def _candidates(self) -> Iterator[tuple[str, str]]:
        assert self.repo is not None
        git = self.repo.git
        seen: set[str] = set()
        code, out = git.run("rev-parse", "--verify", "-q", f"{PRISTINE_REF}^{{commit}}", ok=(0, 1))
        if code == 0:
            seen.add(out.decode().strip())
            yield out.decode().strip(), f"the pristine generation ({PRISTINE_REF})"
        for commit in git.text("rev-list", f"--grep=^{PRISTINE_TRAILER}: ", "HEAD").split():
            if commit not in seen:
                seen.add(commit)
                yield commit, "the pristine generation in the history"
        for commit in git.text("rev-list", "--max-parents=0", "HEAD").split():
            if commit not in seen:
                seen.add(commit)
                yield commit, "the first commit"

    def _is_base(self, commit: str, how: str) -> bool:
        """Whether ``commit`` holds exactly what the answers file says was generated."""
        ws = self.ws
        record = self.record
        oid = ws.object_ids([f"{commit}:{ANSWERS_FILE}"])[f"{commit}:{ANSWERS_FILE}"]
        if oid is None:
            return False
        try:
            theirs = parse_record(ws.read_blobs([oid])[oid].decode())
        except (NotAProjectError, UnicodeDecodeError):
            return False
        if theirs.without_conflicts() != record.without_conflicts():
            return False
        if record.files is None:  # 0.1.0: its first commit, untouched by hand we trust
            assert self.repo is not None
            subject = self.repo.git.text("log", "-1", "--format=%s", commit)
            return how == "the first commit" and subject.startswith(_FIRST_COMMIT)
        files = ws.ls_tree(commit)
        if set(files) != set(record.files) | {ANSWERS_FILE}:
            return False
        if any(files[p].mode != mode_of(r.executable) for p, r in record.files.items()):
            return False
        blobs = ws.read_blobs(files[p].oid for p in record.files)
        return _matches(
            {p: (blobs[files[p].oid], files[p].mode) for p in record.files}, record.files
        )

    # -- merge -----------------------------------------------------------------------------

    def _merge(
        self, base: _Base, theirs: Mapping[str, tuple[bytes, str]], model: ProjectModel
    ) -> _Plan:
        ws = self.ws
        label = self.blueprint.label
        ours_tree = self._ours_tree(base, theirs)
        base_tree = ws.rev(base.tree) if base.tree is not None else None
        if base_tree is not None:
            # The answers file is scaffold's: yours is set to the base's, so that the
            # merge takes the new one (a list of resolved conflicts would clash).
            ids = ws.object_ids([f"{ours_tree}:{ANSWERS_FILE}", f"{base_tree}:{ANSWERS_FILE}"])
            if ids[f"{ours_tree}:{ANSWERS_FILE}"] != ids[f"{base_tree}:{ANSWERS_FILE}"]:
                kept = ids[f"{base_tree}:{ANSWERS_FILE}"]
                entry = Entry(REGULAR, kept) if kept else None
                ours_tree = ws.replace_in_tree(ours_tree, ANSWERS_FILE, entry)
            merged, theirs_tree = merge_trees(
                ws, base_tree=base_tree, ours_tree=ours_tree, theirs=theirs, theirs_label=label
            )
        else:
            assert self.record.files is not None
            merged, theirs_tree = merge_by_hashes(
                ws,
                recorded=self.record.files,
                ours_tree=ours_tree,
                theirs=theirs,
                theirs_label=label,
            )
        if merged.conflicts:
            merged.tree = self._answers_with_conflicts(merged, theirs)
        changes = ws.changes(ours_tree, merged.tree)
        merged.conflicts.extend(self._collisions(changes))
        plan = _Plan(merged, base_tree, ours_tree, theirs_tree, changes)
        self._plan_local_state(plan, model)
        return plan

    def _ours_tree(self, base: _Base, theirs: Mapping[str, tuple[bytes, str]]) -> str:
        """Write the user's side as a tree: HEAD's, or the files as they are."""
        ws = self.ws
        repo = self.repo
        if repo is not None and not self.dirty:
            return repo.git.text("rev-parse", "HEAD^{tree}")
        if repo is not None:  # the work tree through a temporary index, objects quarantined
            index = ws.folder / "ours.index"
            real = repo.git_dir / "index"
            if real.exists():
                index.write_bytes(real.read_bytes())
            git = ws.quarantined(repo.git).with_env(GIT_INDEX_FILE=str(index))
            git("add", "-A")
            return git.text("write-tree")
        # No git: the files at the paths scaffold generated, generates, or generated.
        paths = set(theirs) | set(self.record.files or {}) | {ANSWERS_FILE}
        if base.tree is not None:
            paths |= set(ws.ls_tree(base.tree))
        files: dict[str, tuple[bytes, str]] = {}
        for relative in sorted(paths):
            found = _read_file(self.project / relative)
            if found is not None:
                files[relative] = found
        commit = ws.import_files(files, ref="refs/heads/ours-files", message="ours")
        tree = ws.rev(f"{commit}^{{tree}}")
        assert tree is not None
        return tree

    def _answers_with_conflicts(
        self, merged: Merged, theirs: Mapping[str, tuple[bytes, str]]
    ) -> str:
        """Record the conflicting files in the new answers file, for ``scaffold check``."""
        record = parse_record(theirs[ANSWERS_FILE][0].decode())
        record = replace(record, conflicts=tuple(sorted(c.path for c in merged.conflicts)))
        oid = self.ws.write_blobs([dump_record(record).encode()])[0]
        return self.ws.tree_with(merged.tree, {ANSWERS_FILE: Entry(REGULAR, oid)})

    def _collisions(self, changes: Sequence[Change]) -> list[Conflict]:
        """Files the update would add where something of yours is that git does not track."""
        added = {c.path: c for c in changes if c.status == "A"}
        deleted = {c.path for c in changes if c.status == "D"}
        found: list[Conflict] = []
        for path in sorted(added):
            target = self.project / path
            blocking: Path | None = None
            if target.is_dir() and not target.is_symlink():
                inside = {
                    (Path(d) / f).relative_to(self.project).as_posix()
                    for d, _, names in os.walk(target)
                    for f in names
                }
                if not inside <= deleted:
                    blocking = target
            elif os.path.lexists(target):
                blocking = target
            else:
                for parent in reversed(Path(path).parents[:-1]):
                    where = self.project / parent
                    if (
                        os.path.lexists(where)
                        and not where.is_dir()
                        and parent.as_posix() not in deleted
                    ):
                        blocking = where
                        break
            if blocking is None:
                continue
            if blocking == target and target.is_file() and not target.is_symlink():
                entry = added[path].new
                assert entry is not None
                wanted = self.ws.read_blobs([entry.oid])[entry.oid]
                if target.read_bytes() == wanted:
                    continue  # already there, the same
            found.append(
                Conflict(
                    path,
                    "untracked",
                    f"{path}: the template adds it, but {blocking.relative_to(self.project)} "
                    "of yours, which git does not track, is in the way (commit it, so that it "
                    "is merged, or move it away)",
                    (),
                    False,
                )
            )
        return found

    def _plan_local_state(self, plan: _Plan, model: ProjectModel) -> None:
        """Plan ``.env`` additions and keys the new version needs; never regenerate either.

        What is new is told by the answers file, which records the variables and keys
        the project was generated with (0.1.0's did not: there, the base's
        ``.env.example`` names the variables, and the keys are those of today's layers).
        """
        record = self.record
        old_env = record.env if record.env is not None else self._base_env(plan)
        old_generated = record.generated
        if old_generated is None:
            old_generated = self.blueprint.old_generated()
        env_path = self.project / ".env"
        if not env_path.is_file():
            plan.env_to_set = [name for name in model.env if name not in old_env]
        else:
            text = env_path.read_text(encoding="utf-8", errors="surrogateescape")
            plan.env_text, plan.env_added, plan.env_updated = _updated_env(
                text, old_env, model, self.make_secret
            )
        for relative, generator in model.generate.items():
            if relative not in old_generated and not os.path.lexists(self.project / relative):
                plan.generated[relative] = generator

    def _base_env(self, plan: _Plan) -> dict[str, str | None]:
        """The variables of the base's ``.env.example``, with their values."""
        if plan.base_tree is None:
            return {}
        oid = self.ws.object_ids([f"{plan.base_tree}:.env.example"])[
            f"{plan.base_tree}:.env.example"
        ]
        if oid is None:
            return {}
        text = self.ws.read_blobs([oid])[oid].decode(errors="replace")
        found: dict[str, str | None] = {}
        for line in text.splitlines():
            match = _ENV_LINE.match(line)
            if match and not line.lstrip().startswith("#"):
                found[match.group(1)] = match.group(2).strip()
        return found

    # -- results ---------------------------------------------------------------------------

    def _result(self) -> UpdateResult:
        return UpdateResult(
            path=self.project,
            old_spec=self.record.spec,
            spec=self.spec,
            old_version=self.record.version,
            version=__version__,
            message=self.blueprint.subject(),
            notes=tuple(self.notes),
            name=_name_of(self.project, self.record),
            label=self.blueprint.label,
        )

    def _planned(self, result: UpdateResult, base: _Base, plan: _Plan) -> UpdateResult:
        merged = set(plan.merged.merged)
        changes = []
        for change in plan.changes:
            assert change.old is not None or change.new is not None
            if change.status == "A":
                action = "added"
            elif change.status == "D":
                action = "deleted"
            elif change.old and change.new and change.old.oid == change.new.oid:
                action = "mode"
            else:
                action = "modified"
            changes.append(FileChange(change.path, action, change.path in merged))
        notes = [*self.notes, *plan.merged.notes]
        if plan.env_to_set:
            notes.append(
                "there is no .env: set " + ", ".join(plan.env_to_set) + " where the service runs"
            )
        return replace(
            result,
            base=base.source,
            changes=tuple(changes),
            conflicts=tuple(plan.merged.conflicts),
            env_added=tuple(plan.env_added),
            env_updated=tuple(plan.env_updated),
            env_to_set=tuple(plan.env_to_set),
            generated=tuple(sorted(plan.generated)),
            notes=tuple(notes),
        )

    # -- write, verify, commit -------------------------------------------------------------

    def _apply(self, result: UpdateResult, base: _Base, plan: _Plan) -> UpdateResult:
        _phase("write")
        self._refuse_read_only(plan)
        repo = self.repo
        try:
            journal = Journal.begin(self.project, git_dir=repo.git_dir if repo else None)
        except OSError as exc:
            raise ProjectStateError(
                f"cannot make the update's journal beside the project, in "
                f"{self.project.parent}: {exc.strerror or exc}; nothing was changed"
            ) from exc
        try:
            self._write(journal, plan)
            if self.options.verify and plan.merged.conflicts:
                note = "not verified: conflict markers remain"
                result = replace(result, notes=(*result.notes, note))
            elif self.options.verify:
                _phase("verify")
                report = self.blueprint.verify(self.project, self.options.on_step)
                if not report.ok:
                    journal.rollback()
                    note = "verification failed: the project was restored and nothing committed"
                    return replace(result, verification=report, notes=(*result.notes, note))
                result = replace(result, verification=report)
            _phase("commit")
            if repo is not None:
                result = self._commit(journal, repo, result, base, plan)
            journal.committed()
        except BaseException as exc:
            try:
                journal.rollback()
            except JournalError as failed:
                raise failed from exc
            if isinstance(exc, OSError):
                where = f" ({exc.filename})" if exc.filename else ""
                raise UpdateError(
                    f"could not write the update{where}: {exc.strerror or exc}; the project "
                    "was restored as it was"
                ) from exc
            raise
        journal.finish()
        return replace(result, written=True)

    def _refuse_read_only(self, plan: _Plan) -> None:
        """Refuse before writing anything if a file to change is read-only (your intent)."""
        for change in plan.changes:
            target = self.project / change.path
            writable = target.is_symlink() or not target.is_file()
            if not writable and not target.stat().st_mode & stat.S_IWUSR:
                raise ProjectStateError(
                    f"{change.path} is read-only; make it writable (chmod u+w) to update "
                    "it; nothing was changed"
                )

    def _write(self, journal: Journal, plan: _Plan) -> None:
        blobs = self.ws.read_blobs(c.new.oid for c in plan.changes if c.new is not None)
        for change in plan.changes:
            if change.status == "D":
                journal.delete(self.project / change.path, stop_at=self.project)
        for change in plan.changes:
            if change.new is not None:
                target = self.project / change.path
                if target.is_dir() and not target.is_symlink():
                    _remove_empty_tree(journal, target)
                journal.write(target, blobs[change.new.oid], mode=change.new.mode)
        if plan.env_text is not None and (plan.env_added or plan.env_updated):
            env_path = self.project / ".env"
            journal.write(
                env_path,
                plan.env_text.encode(errors="surrogateescape"),
                mode=REGULAR,
                permissions=stat.S_IMODE(env_path.stat().st_mode),
            )
        for relative, generator in sorted(plan.generated.items()):
            content = make_generated(generator, relative)
            journal.write(self.project / relative, content, mode=REGULAR, permissions=0o600)

    def _commit(
        self, journal: Journal, repo: Repository, result: UpdateResult, base: _Base, plan: _Plan
    ) -> UpdateResult:
        """Make the pristine commit and the update commit; stage a merge when not committing."""
        ws = self.ws
        git = ws.quarantined(repo.git).with_env(**identity_env(repo.git))
        parents = [base.commit] if base.commit else []
        message = self.blueprint.pristine_message()
        pristine = ws.commit_tree(plan.theirs_tree, parents, message, git=git)
        committing = not plan.merged.conflicts and not self.dirty
        commit = None
        message = commit_message(result.message)
        if committing:
            assert repo.head is not None
            commit = ws.commit_tree(plan.merged.tree, [repo.head, pristine], message, git=git)
        _phase("commit:objects")
        ws.copy_objects_to(repo.objects)
        _phase("commit:index")
        self._write_index(journal, repo, plan)
        _phase("commit:refs")
        if committing:
            assert commit is not None and repo.head is not None
            old_pristine = _ref(repo, PRISTINE_REF)
            zero = "0" * len(repo.head)
            transaction = (
                f"update {PRISTINE_REF} {pristine} {old_pristine or zero}\n"
                f"update HEAD {commit} {repo.head}\n"
            )
            journal.ref(PRISTINE_REF, old_pristine, pristine, lambda: None)
            journal.ref(
                "HEAD",
                repo.head,
                commit,
                lambda: repo.git(
                    "update-ref",
                    "-m",
                    f"scaffold: {result.message}",
                    "--stdin",
                    input=transaction.encode(),
                ),
            )
            return replace(result, commit=commit, pristine=pristine)
        # Not committed (conflict markers, or changes of yours in the tree): a merge is
        # staged, as `git merge` leaves one; `git commit` records the pristine parent.
        conflicted = "".join(f"#\t{c.path}\n" for c in plan.merged.conflicts)
        merge_msg = message + (f"\n# Conflicts:\n{conflicted}" if conflicted else "")
        journal.write(repo.git_dir / "MERGE_HEAD", f"{pristine}\n".encode(), mode=REGULAR)
        journal.write(repo.git_dir / "MERGE_MSG", merge_msg.encode(), mode=REGULAR)
        journal.write(repo.git_dir / "MERGE_MODE", b"no-ff", mode=REGULAR)
        if self.dirty:
            note = "your uncommitted changes were in the tree: review with git status, then "
            note += "git commit (the update is staged as a merge)"
        else:
            note = "resolve the conflict markers, git add the files, then git commit"
        return replace(result, pristine=pristine, notes=(*result.notes, note))

    def _write_index(self, journal: Journal, repo: Repository, plan: _Plan) -> None:
        """Stage the update in a new index and swap it in (the old one is journaled)."""
        temporary = repo.git_dir / "scaffold-index.tmp"
        temporary.unlink(missing_ok=True)
        real = repo.git_dir / "index"
        if real.exists():
            temporary.write_bytes(real.read_bytes())
        git = repo.git.with_env(GIT_INDEX_FILE=str(temporary))
        if not real.exists():
            git("read-tree", "HEAD")
        zero = "0" * len(repo.head or "")
        lines = [f"0 {zero}\t{c.path}" for c in plan.changes if c.status == "D"]
        lines += [f"{c.new.mode} {c.new.oid}\t{c.path}" for c in plan.changes if c.new]
        trees = [(1, plan.base_tree), (2, plan.ours_tree), (3, plan.theirs_tree)]
        listings = {n: self.ws.ls_tree(t) for n, t in trees if t and plan.merged.conflicts}
        for conflict in plan.merged.conflicts:
            # The base, yours and theirs of a conflicted file, as git merge leaves them.
            stages = {n: f[conflict.path] for n, f in listings.items() if conflict.path in f}
            lines.append(f"0 {zero}\t{conflict.path}")
            lines += [f"{e.mode} {e.oid} {n}\t{conflict.path}" for n, e in stages.items()]
        if lines:
            data = ("\0".join(lines) + "\0").encode(errors="surrogateescape")
            git("update-index", "-z", "--index-info", input=data)
        git.run("update-index", "-q", "--refresh", ok=(0, 1))
        journal.install(temporary, real)


# -- messages --------------------------------------------------------------------------------


def commit_subject(
    record: ProjectRecord, spec: ProjectSpec, packs: Mapping[str, str | None] | None = None
) -> str:
    """Return the subject of an update's commit ("Update from scaffold 0.1.0 to 0.2.0").

    ``packs`` are the layer packs of the new generation, with their versions.
    """
    old = record.spec
    assert old is not None
    parts = []
    if spec.database != old.database:
        parts.append(f"Change database from {old.database} to {spec.database}")
    parts += [f"Add feature {f}" for f in sorted(spec.features - old.features)]
    parts += [f"Remove feature {f}" for f in sorted(old.features - spec.features)]
    for name, version in sorted((packs or {}).items()):
        before = record.packs.get(name)
        if name in record.packs and before != version:
            parts.append(f"Update pack {name} from {before} to {version}")
    if record.version != __version__:
        parts.append(f"Update from scaffold {record.version} to {__version__}")
    elif not parts:
        parts.append(f"Update from scaffold {__version__} (its templates changed)")
    return "; ".join([parts[0], *(p[0].lower() + p[1:] for p in parts[1:])])


def commit_message(subject: str) -> str:
    """Return the update commit's message: the subject, and what the second parent is."""
    return (
        f"{subject}\n\n"
        "Merged by scaffold update with the pristine generation of these answers (the\n"
        "second parent), from which the next update starts.\n"
    )


def pristine_message(spec: ProjectSpec) -> str:
    """Return the message of a pristine commit, with the trailer the next update looks for."""
    features = ", ".join(sorted(spec.features)) or "no features"
    return (
        f"Pristine generation of scaffold {__version__} ({spec.label}; {features})\n\n"
        "What scaffold generates for these answers, untouched: the base of the next\n"
        "scaffold update.\n\n"
        f"{PRISTINE_TRAILER}: {__version__}\n"
    )


# -- helpers ---------------------------------------------------------------------------------


def _read(project: Path) -> ProjectRecord:
    """Read the answers file, refusing one from a newer scaffold."""
    try:
        record = read_record(project)
    except NotAProjectError as exc:
        if (project / ".git").exists():
            raise NotAProjectError(
                f"{exc} (if it was changed by mistake, git checkout -- {ANSWERS_FILE} restores it)"
            ) from exc
        raise
    if version_key(record.version) > version_key(__version__):
        raise ProjectStateError(
            f"{project.name} was made by scaffold {record.version}, newer than this scaffold "
            f"{__version__}: update scaffold first (pip install --upgrade scaffold-toolkit)"
        )
    return record


def _fingerprint(catalog: Catalog, spec: ProjectSpec) -> str:
    catalog.kind(spec.kind)
    return catalog_fingerprint(catalog, spec, catalog.layers(spec))


def _committed_files(project: Any) -> dict[str, tuple[bytes, str]]:
    return {
        str(p): (f.content, mode_of(f.executable))
        for p, f in project.files.items()
        if str(p) != ANSWERS_FILE
    }


def _without_answers(files: Mapping[str, tuple[bytes, str]]) -> dict[str, tuple[bytes, str]]:
    return {p: v for p, v in files.items() if p != ANSWERS_FILE}


def _matches(files: Mapping[str, tuple[bytes, str]], recorded: Mapping[str, FileRecord]) -> bool:
    """Whether files are exactly those recorded: the same paths, hashes and modes."""
    return set(files) == set(recorded) and all(
        file_digest(content) == recorded[p].sha256 and mode == mode_of(recorded[p].executable)
        for p, (content, mode) in files.items()
    )


def _files_with_markers(project: Path, record: ProjectRecord) -> Iterator[str]:
    """Yield the generated (and last conflicting) files that hold conflict markers."""
    for relative in sorted(set(record.files or {}) | set(record.conflicts)):
        path = project / relative
        try:
            if path.is_symlink() or not path.is_file():
                continue
            content = path.read_bytes()
        except OSError:
            continue
        if has_markers(content):
            yield relative


def _read_file(path: Path) -> tuple[bytes, str] | None:
    """Read a project file as git would store it (content and mode), if it is one."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return os.readlink(path).encode(errors="surrogateescape"), SYMLINK
    if not stat.S_ISREG(info.st_mode):
        return None
    return path.read_bytes(), mode_of(bool(info.st_mode & stat.S_IXUSR))


def _ref(repo: Repository, name: str) -> str | None:
    code, out = repo.git.run("rev-parse", "--verify", "-q", name, ok=(0, 1))
    return out.decode().strip() if code == 0 else None


def _remove_empty_tree(journal: Journal, folder: Path) -> None:
    """Remove a folder that the update emptied, where the template now puts a file."""
    for child in sorted(folder.rglob("*"), reverse=True):
        if child.is_dir() and not child.is_symlink():
            journal.remove_folder(child)
    journal.remove_folder(folder)


def _updated_env(
    text: str, old: Mapping[str, str | None], new: ProjectModel, make_secret: SecretFactory
) -> tuple[str, list[str], list[str]]:
    """Return ``.env`` with the new version's variables added; secrets are never touched.

    A variable new since the project was generated (and not in the file) is appended,
    with a fresh secret where the layer generates one. A plain value (not a secret)
    that still is the old default, where the new answers have another default
    (``DATABASE_URL`` after a database change), is set to the new default; a value you
    changed is kept, and a variable you removed stays removed.
    """
    lines = text.splitlines(keepends=True)
    present: dict[str, int] = {}
    for number, line in enumerate(lines):
        match = _ENV_LINE.match(line)
        if match:
            present.setdefault(match.group(1), number)
    updated: list[str] = []
    for name, var in new.env.items():
        old_default = old.get(name)
        if name not in present or var.generate is not None or old_default is None:
            continue
        new_default = dotenv_value(var, make_secret)
        number = present[name]
        value = _ENV_LINE.match(lines[number])
        assert value is not None
        if value.group(2).strip() == old_default and new_default != old_default:
            ending = "\n" if lines[number].endswith("\n") else ""
            lines[number] = f"{name}={new_default}{ending}"
            updated.append(name)
    added = [name for name in new.env if name not in old and name not in present]
    if added:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(f"# Added by scaffold update ({__version__})\n")
        for name in added:
            var = new.env[name]
            if var.description:
                lines.append(f"# {var.description}\n")
            lines.append(f"{name}={dotenv_value(var, make_secret)}\n")
    return "".join(lines), added, updated


__all__ = [
    "PHASES",
    "CheckResult",
    "FileChange",
    "UpdateResult",
    "add_feature",
    "check",
    "commit_subject",
    "diff",
    "remove_feature",
    "update",
]
