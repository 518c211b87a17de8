"""Cookiecutter templates: rendered by cookiecutter, then written and updated like scaffold's own.

``scaffold new PATH_OR_URL`` fetches a template (a folder, a ``.zip``, a git repository
at ``--checkout``), asks its questions (or takes ``--answer`` and the defaults), renders
it with the cookiecutter library into a scratch folder, checks what it made, and gives
the files to scaffold's staged writer and first commit. ``.scaffold.json`` records the
source, the commit, the answers and each file's hash, so that ``scaffold check``,
``diff`` and ``update`` render the template again at a newer commit and merge it with
the lifecycle's three-way merge (:class:`TemplateBlueprint`).

Nothing of the template runs on this machine without ``--trust``: its hooks, Jinja
extensions from its own folder, and Jinja itself, which renders in its sandbox (the
template's Python expressions cannot reach objects' internals). A templated path that
would leave the project (``{{ cookiecutter.x }}`` rendering ``../x``) is refused before
anything is rendered. The cookiecutter library is imported only here, so the built-in
kinds never pay for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ._answers import (
    ANSWERS_FILE,
    FileRecord,
    ProjectRecord,
    TemplateRecord,
    dump_record,
    file_digest,
    folder_fingerprint,
)
from ._model import ProjectModel
from ._plumbing import mode_of
from ._render import IGNORED_PREFIX, RenderedFile
from ._version import __version__
from .errors import HookError, ScaffoldError, TemplateSourceError, UsageError

if TYPE_CHECKING:
    from ._spec import ProjectSpec
    from ._verify import StepResult, VerifyReport

CONTEXT_FILE = "cookiecutter.json"
#: The hooks cookiecutter runs, in ``hooks/`` of a template.
HOOKS = ("pre_prompt", "pre_gen_project", "post_gen_project")
#: The layer every file of a template's project records (they have no scaffold layer).
LAYER = "cookiecutter"
#: The private key of cookiecutter.json that tells scaffold verify what to run.
SCAFFOLD_KEY = "_scaffold"
#: cookiecutter's own abbreviations (a user's config may add more).
ABBREVIATIONS = {
    "gh": "https://github.com/{0}.git",
    "gl": "https://gitlab.com/{0}.git",
    "bb": "https://bitbucket.org/{0}",
}
_URL = re.compile(r"^(?:(?:git\+)?(?:git|ssh|file|https?)://|[\w.-]+@[\w.-]+:)")


class CookiecutterMissingError(ScaffoldError):
    """Cookiecutter templates need the ``cookiecutter`` extra, which is not installed."""


def require_cookiecutter() -> None:
    """Raise :class:`CookiecutterMissingError` unless the cookiecutter library is importable."""
    try:
        import cookiecutter.main  # noqa: F401 (only whether it imports)
    except ImportError as exc:
        raise CookiecutterMissingError(
            "cookiecutter templates need the cookiecutter library: "
            "pip install 'scaffold-toolkit[cookiecutter]'"
        ) from exc


# -- where a template comes from -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """A template as it can be fetched again.

    Attributes:
        kind: ``folder``, ``zip`` or ``git``.
        location: An absolute path (folder, zip, local repository) or a git URL.
        checkout: The branch, tag or commit asked for (git only).
    """

    kind: str
    location: str
    checkout: str | None = None

    def describe(self, commit: str | None = None) -> str:
        """Say what it is: ``https://x/y.git at 1a2b3c4d5e6f``."""
        return self.location + (f" at {commit[:12]}" if commit else "")


def parse_source(text: str, checkout: str | None = None) -> TemplateSource:
    """Tell what kind of template ``text`` names: a folder, a ``.zip`` or a git repository.

    A folder with a ``cookiecutter.json`` is used as it is on disk; with ``--checkout``
    (or without a ``cookiecutter.json``, if it is a repository) its commits are used.
    ``gh:``, ``gl:`` and ``bb:`` (and a user's own cookiecutter abbreviations) expand to URLs.

    Raises:
        TemplateSourceError: There is no such template.
    """
    expanded = _expand_abbreviation(text)
    if _URL.match(expanded):
        if expanded.endswith(".zip") and not expanded.startswith("file:"):
            raise TemplateSourceError(
                f"{text}: download the .zip first, then give its path (scaffold fetches only "
                "git repositories)"
            )
        return TemplateSource("git", expanded, checkout)
    path = Path(os.path.abspath(os.path.expanduser(expanded)))
    if path.suffix == ".zip":
        if not path.is_file():
            raise TemplateSourceError(f"no such template: {path} is not a file")
        if checkout:
            raise TemplateSourceError("--checkout needs a git repository, not a .zip")
        return TemplateSource("zip", str(path), None)
    if not path.is_dir():
        raise TemplateSourceError(f"no such template: {path} is neither a folder nor a .zip")
    has_context = (path / CONTEXT_FILE).is_file()
    if (checkout or not has_context) and _is_repository(path):
        return TemplateSource("git", str(path), checkout)
    if not has_context:
        raise TemplateSourceError(f"{path} is not a cookiecutter template (no {CONTEXT_FILE})")
    if checkout:
        raise TemplateSourceError(f"--checkout needs a git repository; {path} is a plain folder")
    return TemplateSource("folder", str(path), None)


def _expand_abbreviation(text: str) -> str:
    prefix, colon, rest = text.partition(":")
    if not colon or "/" in prefix or _URL.match(text):
        return text
    abbreviations = dict(ABBREVIATIONS)
    with contextlib.suppress(Exception):  # a broken user config must not stop a template
        from cookiecutter.config import get_user_config

        abbreviations.update(get_user_config().get("abbreviations", {}))
    pattern = abbreviations.get(prefix)
    if pattern is None:
        return text
    return pattern.format(rest) if "{0}" in pattern else pattern + rest


def _is_repository(path: Path) -> bool:
    completed = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--git-dir"],
        capture_output=True,
        check=False,
        env=_git_env(),
    )
    return completed.returncode == 0


def _git_env() -> dict[str, str]:
    # Never wait for a password on a terminal, and never run ext:: transport commands.
    return dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_ALLOW_PROTOCOL="file:git:http:https:ssh")


class TemplateCheckout:
    """A template made local in a scratch folder; a git template at any of its commits."""

    def __init__(self, source: TemplateSource, scratch: Path) -> None:
        self.source = source
        self.scratch = scratch
        self._clone: Path | None = None
        self._trees = 0

    def folder_at(self, ref: str | None = None) -> tuple[Path, str | None]:
        """Return the template's folder (at ``ref`` for git) and the commit it is at.

        Raises:
            TemplateSourceError: It cannot be fetched, or ``ref`` is not one of its commits.
        """
        if self.source.kind == "folder":
            return Path(self.source.location), None
        if self.source.kind == "zip":
            return self._unzipped(), None
        commit = self._resolve(ref or self.source.checkout)
        self._trees += 1
        tree = self.scratch / f"tree-{self._trees}"
        tree.mkdir()
        self._git("--work-tree", str(tree), "checkout", "--quiet", "--force", commit, "--", ".")
        return tree, commit

    def _resolve(self, ref: str | None) -> str:
        clone = self._cloned()
        for candidate in [ref, f"origin/{ref}"] if ref else ["HEAD"]:
            completed = subprocess.run(
                [
                    "git",
                    "-C",
                    str(clone),
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    f"{candidate}^{{commit}}",
                ],
                capture_output=True,
                text=True,
                check=False,
                env=_git_env(),
            )
            if completed.returncode == 0:
                return completed.stdout.strip()
        raise TemplateSourceError(
            f"{self.source.location} has no branch, tag or commit {ref!r}"
            if ref
            else f"{self.source.location} has no commit"
        )

    def _cloned(self) -> Path:
        if self._clone is None:
            clone = self.scratch / "clone"
            completed = subprocess.run(
                [
                    "git",
                    "clone",
                    "--quiet",
                    "--no-checkout",
                    "--",
                    self.source.location,
                    str(clone),
                ],
                capture_output=True,
                text=True,
                check=False,
                env=_git_env(),
            )
            if completed.returncode != 0:
                reason = (completed.stderr.strip().splitlines() or ["git clone failed"])[-1]
                raise TemplateSourceError(
                    f"cannot fetch the template {self.source.location}: {reason}"
                )
            self._clone = clone
        return self._clone

    def _git(self, *args: str) -> None:
        completed = subprocess.run(
            ["git", "-C", str(self._cloned()), *args],
            capture_output=True,
            text=True,
            check=False,
            env=_git_env(),
        )
        if completed.returncode != 0:
            reason = (completed.stderr.strip().splitlines() or ["git failed"])[-1]
            raise TemplateSourceError(f"{self.source.location}: {reason}")

    def _unzipped(self) -> Path:
        """Extract the zip safely (no member leaves the folder, no links); find the template."""
        import zipfile

        target = self.scratch / "unzipped"
        if not target.exists():
            target.mkdir()
            try:
                with zipfile.ZipFile(self.source.location) as archive:
                    for member in archive.infolist():
                        _check_member(member.filename, member.external_attr)
                    archive.extractall(target)
            except (zipfile.BadZipFile, OSError) as exc:
                raise TemplateSourceError(
                    f"{self.source.location} is not a readable .zip: {exc}"
                ) from exc
        if (target / CONTEXT_FILE).is_file():
            return target
        tops = [p for p in target.iterdir() if p.is_dir() and (p / CONTEXT_FILE).is_file()]
        if len(tops) != 1:
            raise TemplateSourceError(
                f"{self.source.location} holds no cookiecutter template (a {CONTEXT_FILE} at "
                "its top, or in its one top folder)"
            )
        return tops[0]


def _check_member(name: str, attributes: int) -> None:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise TemplateSourceError(f"the .zip has a member outside its folder: {name!r}")
    if stat.S_ISLNK(attributes >> 16):
        raise TemplateSourceError(f"the .zip has a symbolic link: {name!r}")


# -- rendering ---------------------------------------------------------------------------------


@dataclass
class Rendering:
    """What a template made, read back from the scratch folder.

    Attributes:
        folder_name: The project folder the template names.
        files: Every file, by relative path; those its ``.gitignore`` ignores are local.
        answers: The answers (private ``_`` keys left out), as recorded.
        commands: What ``scaffold verify`` runs, from the template's ``_scaffold``.
        hooks: The template's hooks (relative paths), which ran.
        notes: Things to know (a ``.git`` folder a hook made, left out).
    """

    folder_name: str
    files: dict[PurePosixPath, RenderedFile]
    answers: dict[str, Any]
    commands: dict[str, str]
    hooks: list[str]
    notes: list[str] = field(default_factory=list)


def find_hooks(template: Path) -> list[str]:
    """Return the template's hooks, as paths relative to its folder."""
    folder = template / "hooks"
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
        if stem in HOOKS and not path.name.endswith("~") and path.is_file():
            found.append(f"hooks/{path.name}")
    return found


def render_template(
    template: Path,
    *,
    source: str,
    checkout: str | None,
    answers: Mapping[str, Any],
    no_input: bool,
    trust: bool,
    output_dir: Path,
    scratch: Path,
) -> Rendering:
    """Render ``template`` with cookiecutter into ``scratch`` and read back what it made.

    Args:
        template: The template's folder (the one with ``cookiecutter.json``).
        source: How the template is named to its templates (``cookiecutter._template``).
        checkout: The ref asked for (``cookiecutter._checkout``).
        answers: Answers to use instead of asking (``--answer``, or recorded ones).
        no_input: Ask nothing; take the answers given and the defaults.
        trust: Run the template's hooks and its own Jinja extensions, and render
            outside Jinja's sandbox.
        output_dir: Where the project will be (``cookiecutter._output_dir``).
        scratch: An empty folder to render into; the caller removes it.

    Raises:
        TemplateSourceError: The template is broken or unsafe, or an answer is wrong.
        HookError: A hook failed.
    """
    hooks = find_hooks(template)
    if hooks and not trust:
        raise TemplateSourceError(
            f"the template has hooks ({', '.join(hooks)}), which run code on this machine: "
            "read them, then run again with --trust"
        )
    context_file = template / CONTEXT_FILE
    raw = _read_context(context_file)
    _check_extensions(template, raw, trust)
    unknown = sorted(set(answers) - set(raw))
    if unknown:
        asked = ", ".join(k for k in raw if not k.startswith("_")) or "nothing"
        raise UsageError(f"unknown answer(s) {', '.join(unknown)}; the template asks: {asked}")
    out = scratch / "out"
    out.mkdir()
    with (
        _cookiecutter_errors(),
        _hook_output_to_stderr(),
        _environment(trust),
        _temporary_files_in(scratch / "tmp"),
    ):
        from cookiecutter.generate import generate_context, generate_files
        from cookiecutter.hooks import run_pre_prompt_hook
        from cookiecutter.prompt import prompt_for_config

        repo_dir = Path(run_pre_prompt_hook(template)) if trust else template
        try:
            context = generate_context(
                context_file=str(repo_dir / CONTEXT_FILE),
                default_context=_user_defaults(),
                extra_context=_typed_answers(dict(answers), raw),
            )
        except ValueError as exc:  # an answer that is not one of a choice's values
            raise UsageError(_one_line(str(exc))) from exc
        if {"template", "templates"} & set(context["cookiecutter"]):
            raise TemplateSourceError(
                'this template only chooses among nested templates ("templates" in '
                f"{CONTEXT_FILE}); give the folder of the one you want"
            )
        context["_cookiecutter"] = {
            k: v for k, v in context["cookiecutter"].items() if not k.startswith("_")
        }
        with _import_path(repo_dir, trust):
            context["cookiecutter"].update(prompt_for_config(context, no_input))
        context["cookiecutter"].update(
            _template=source,
            _output_dir=str(output_dir),
            _repo_dir=str(repo_dir),
            _checkout=checkout,
        )
        folder_name = _check_paths(repo_dir, context)
        with _import_path(repo_dir, trust):
            project_dir = Path(
                generate_files(
                    repo_dir=str(repo_dir),
                    context=context,
                    output_dir=str(out),
                    accept_hooks=trust,
                )
            )
        if repo_dir != template:
            shutil.rmtree(repo_dir.parent, ignore_errors=True)  # pre_prompt's copy
    notes: list[str] = []
    files = _read_output(out, project_dir, notes)
    recorded = {k: v for k, v in context["cookiecutter"].items() if not k.startswith("_")}
    return Rendering(folder_name, files, _json_ready(recorded), _commands(context), hooks, notes)


def _read_context(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateSourceError(f"{path} is not valid JSON: {_one_line(str(exc))}") from exc
    if not isinstance(raw, dict):
        raise TemplateSourceError(f"{path} is not a JSON object")
    return raw


def _check_extensions(template: Path, raw: Mapping[str, Any], trust: bool) -> None:
    """Jinja extensions from the template's own folder are code: they need ``--trust``."""
    extensions = raw.get("_extensions", [])
    if not isinstance(extensions, list):
        raise TemplateSourceError(f"_extensions in {CONTEXT_FILE} is not a list")
    local = [
        str(name)
        for name in extensions
        if (template / f"{str(name).split('.')[0]}.py").is_file()
        or (template / str(name).split(".")[0]).is_dir()
    ]
    if local and not trust:
        raise TemplateSourceError(
            f"the template loads Jinja extensions from its own folder ({', '.join(local)}), "
            "which run code on this machine: read them, then run again with --trust"
        )


def _typed_answers(answers: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """``--answer`` gives strings: JSON for a variable whose default is an object."""
    typed = dict(answers)
    for key, value in answers.items():
        if isinstance(raw.get(key), dict) and isinstance(value, str):
            try:
                typed[key] = json.loads(value)
            except ValueError as exc:
                raise UsageError(f"--answer {key}= needs a JSON object: {exc}") from exc
    return typed


def _user_defaults() -> dict[str, Any]:
    """The ``default_context`` of the user's cookiecutter config, which cookiecutter honours."""
    from cookiecutter.config import get_user_config

    try:
        defaults = get_user_config().get("default_context", {})
    except Exception as exc:  # cookiecutter raises its own and YAML's errors
        raise UsageError(f"your cookiecutter config cannot be read: {_one_line(str(exc))}") from exc
    return dict(defaults) if isinstance(defaults, dict) else {}


def _check_paths(repo_dir: Path, context: dict[str, Any]) -> str:
    """Render every templated path as cookiecutter will, and refuse one that leaves the project.

    Returns:
        The name of the project folder.
    """
    from cookiecutter.find import find_template
    from cookiecutter.generate import is_copy_only_path
    from cookiecutter.utils import create_env_with_context

    env = create_env_with_context(context)
    template_dir = Path(find_template(str(repo_dir), env))
    name = str(env.from_string(template_dir.name).render(**context))
    if not name.strip() or name in {".", ".."} or "/" in name or os.sep in name or "\0" in name:
        raise TemplateSourceError(
            f"the project folder {template_dir.name!r} renders {name!r}, which is no folder name"
        )
    root = os.path.realpath(repo_dir)
    for dirpath, dirnames, filenames in os.walk(template_dir):
        relative_dir = os.path.relpath(dirpath, template_dir)
        kept = []
        for entry in sorted(dirnames) + sorted(filenames):
            relative = os.path.normpath(os.path.join(relative_dir, entry))
            path = os.path.join(dirpath, entry)
            if os.path.islink(path) and not os.path.realpath(path).startswith(root + os.sep):
                raise TemplateSourceError(
                    f"{relative} is a symbolic link out of the template; it is not copied"
                )
            if is_copy_only_path(relative, context):
                continue  # copied with its name rendered as a whole path, contents verbatim
            rendered = env.from_string(relative).render(**context)
            normal = os.path.normpath(rendered)
            if "\0" in rendered or os.path.isabs(normal) or normal.split(os.sep)[0] == "..":
                raise TemplateSourceError(
                    f"the templated path {relative!r} renders {rendered!r}, outside the project"
                )
            if entry in dirnames:
                kept.append(entry)
        dirnames[:] = kept
    return name


def _read_output(
    out: Path, project_dir: Path, notes: list[str]
) -> dict[PurePosixPath, RenderedFile]:
    """Read the rendered project back; refuse anything made outside it, or links."""
    others = [p.name for p in out.iterdir() if p != project_dir]
    if others or project_dir.parent != out:
        raise TemplateSourceError(
            f"the template wrote outside its project folder ({', '.join(others) or project_dir})"
        )
    files: dict[PurePosixPath, RenderedFile] = {}
    for dirpath, dirnames, filenames in os.walk(project_dir):
        if ".git" in dirnames:
            dirnames.remove(".git")
            notes.append("a hook made a git repository; scaffold makes its own first commit")
        for entry in sorted(dirnames) + sorted(filenames):
            path = Path(dirpath) / entry
            if path.is_symlink():
                relative = path.relative_to(project_dir).as_posix()
                raise TemplateSourceError(
                    f"the template made a symbolic link ({relative}); scaffold writes files only"
                )
        for entry in filenames:
            path = Path(dirpath) / entry
            name = PurePosixPath(path.relative_to(project_dir).as_posix())
            executable = bool(path.stat().st_mode & stat.S_IXUSR)
            files[name] = RenderedFile(path.read_bytes(), executable, f"{LAYER}:{name}")
    if PurePosixPath(ANSWERS_FILE) in files:
        notes.append(f"the template's own {ANSWERS_FILE} is replaced by scaffold's")
        del files[PurePosixPath(ANSWERS_FILE)]
    ignored = _ignored(project_dir, files)
    return {
        path: RenderedFile(f.content, f.executable, f"{IGNORED_PREFIX}{path}")
        if path in ignored
        else f
        for path, f in sorted(files.items())
    }


def _ignored(project_dir: Path, files: Mapping[PurePosixPath, RenderedFile]) -> set[PurePosixPath]:
    """The files the project's own ``.gitignore`` ignores: local, never committed or merged."""
    if not files:
        return set()
    with tempfile.TemporaryDirectory(prefix="scaffold-ignored-") as scratch:
        git_dir = Path(scratch) / "git"
        env = _git_env()
        subprocess.run(["git", "init", "--quiet", "--bare", str(git_dir)], check=True, env=env)
        completed = subprocess.run(
            [
                "git", f"--git-dir={git_dir}", f"--work-tree={project_dir}",
                "ls-files", "--others", "--exclude-standard", "-z",
            ],
            capture_output=True,
            check=True,
            env=env,
        )  # fmt: skip
    kept = {
        PurePosixPath(p.decode(errors="surrogateescape"))
        for p in completed.stdout.split(b"\0")
        if p
    }
    return set(files) - kept


def _commands(context: Mapping[str, Any]) -> dict[str, str]:
    settings = context["cookiecutter"].get(SCAFFOLD_KEY, {})
    commands = settings.get("commands", {}) if isinstance(settings, dict) else {}
    if not isinstance(commands, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in commands.items()
    ):
        raise TemplateSourceError(
            f'"{SCAFFOLD_KEY}": {{"commands": ...}} in {CONTEXT_FILE} must map names to commands'
        )
    return dict(commands)


def _json_ready(value: Any) -> Any:
    """The answers as plain JSON values (cookiecutter gives OrderedDicts)."""
    return json.loads(json.dumps(value, default=str))


@contextlib.contextmanager
def _import_path(folder: Path, trust: bool) -> Iterator[None]:
    """The template's folder on ``sys.path`` while it renders, as cookiecutter's main does.

    Only for a trusted template: its own modules are code, and an untrusted template may
    have none (its local extensions are refused).
    """
    if not trust:
        yield
        return
    before = list(sys.path)
    sys.path.append(str(folder))
    try:
        yield
    finally:
        sys.path[:] = before


@contextlib.contextmanager
def _environment(trust: bool) -> Iterator[None]:
    """Render in Jinja's sandbox unless the template is trusted.

    cookiecutter makes every environment with ``cookiecutter.utils.create_env_with_context``,
    which builds a ``StrictEnvironment``: for the while of one render, that name is a
    subclass of Jinja's ``SandboxedEnvironment`` with the same extensions and rules.
    """
    if trust:
        yield
        return
    import cookiecutter.utils
    from cookiecutter.environment import ExtensionLoaderMixin
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class SandboxedStrictEnvironment(ExtensionLoaderMixin, SandboxedEnvironment):  # type: ignore[misc]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(undefined=StrictUndefined, **kwargs)

    original = cookiecutter.utils.StrictEnvironment
    cookiecutter.utils.StrictEnvironment = SandboxedStrictEnvironment
    try:
        yield
    finally:
        cookiecutter.utils.StrictEnvironment = original


@contextlib.contextmanager
def _temporary_files_in(folder: Path) -> Iterator[None]:
    """Keep cookiecutter's temporary files in the scratch folder, which is removed.

    cookiecutter writes each rendered hook to a temporary file it never deletes, and
    copies a template with a ``pre_prompt`` hook to a temporary folder.
    """
    folder.mkdir()
    before = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = before


@contextlib.contextmanager
def _hook_output_to_stderr() -> Iterator[None]:
    """Hooks print to stdout; send it to stderr, so that ``--json`` output stays JSON."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (some embedding): leave it
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


@contextlib.contextmanager
def _cookiecutter_errors() -> Iterator[None]:
    """Turn what cookiecutter and Jinja raise into one line with scaffold's exit codes."""
    from cookiecutter.exceptions import (
        CookiecutterException,
        FailedHookException,
        UndefinedVariableInTemplate,
    )
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    try:
        yield
    except FailedHookException as exc:
        raise HookError(
            f"the template's hook failed: {_one_line(str(exc))}; nothing was written"
        ) from exc
    except UndefinedVariableInTemplate as exc:
        raise TemplateSourceError(
            f"{_one_line(exc.message)}: {_one_line(str(exc.error.message))}"
        ) from exc
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or 'a template'}:{exc.lineno}"
        raise TemplateSourceError(
            f"template syntax error in {where}: {_one_line(exc.message or '')}"
        ) from exc
    except SecurityError as exc:
        raise TemplateSourceError(
            f"the template reaches Python internals, which Jinja's sandbox refuses "
            f"({_one_line(str(exc))}); if you trust it, run again with --trust"
        ) from exc
    except JinjaError as exc:
        raise TemplateSourceError(
            f"the template cannot be rendered: {_one_line(str(exc))}"
        ) from exc
    except CookiecutterException as exc:
        raise TemplateSourceError(_one_line(str(exc)) or type(exc).__name__) from exc
    except UnicodeDecodeError as exc:
        raise TemplateSourceError(
            f"the template has a file that is neither UTF-8 text nor binary: {exc}"
        ) from exc


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- a new project ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateResult:
    """What :func:`generate_from_template` did (or would do, with ``dry_run``).

    Attributes:
        path: The project folder.
        source: The template.
        commit: The template's commit (git sources).
        files: Every file written, sorted (local ones included).
        replaced: Files that existed and were replaced (only with ``force``).
        commit_id: The project's first commit, or ``None`` when git was skipped.
        git_note: Why git was skipped, when it was for a reason of its own.
        answers: The answers recorded.
        notes: Things to know.
        dry_run: Whether nothing was written.
    """

    path: Path
    source: TemplateSource
    commit: str | None
    files: tuple[str, ...]
    replaced: tuple[str, ...] = ()
    commit_id: str | None = None
    git_note: str | None = None
    answers: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data (``scaffold new --json``)."""
        return {
            "path": str(self.path),
            "template": {
                "source": self.source.location,
                "kind": self.source.kind,
                "checkout": self.source.checkout,
                "commit": self.commit,
            },
            "answers": dict(self.answers),
            "files": list(self.files),
            "replaced": list(self.replaced),
            "commit": self.commit_id,
            "git_note": self.git_note,
            "notes": list(self.notes),
            "dry_run": self.dry_run,
        }


def generate_from_template(
    source: str,
    output_dir: str | os.PathLike[str],
    name: str | None = None,
    *,
    checkout: str | None = None,
    answers: Mapping[str, str] | None = None,
    no_input: bool = False,
    trust: bool = False,
    force: bool = False,
    git: bool = True,
    dry_run: bool = False,
) -> TemplateResult:
    """Generate a project from a cookiecutter template, with scaffold's writing and records.

    Args:
        source: A template folder, a ``.zip``, or a git URL (``gh:org/repo`` too).
        output_dir: The folder in which the project folder is made.
        name: The project folder's name (default: the one the template gives it).
        checkout: A branch, tag or commit of a git template.
        answers: Answers to its questions, instead of asking them.
        no_input: Ask nothing; take the answers given and the template's defaults.
        trust: Run its hooks (and its own Jinja extensions); refused without it.
        force: Write into a non-empty folder, replacing files of the same name.
        git: Make a repository with a first commit (as :func:`toolkit.generate`).
        dry_run: Render, check and report; write nothing.

    Raises:
        TemplateSourceError: The template cannot be fetched or rendered, or is unsafe.
        HookError: A hook failed (nothing was written).
        UsageError: A wrong answer, name or destination.
    """
    from ._generate import write_and_commit
    from ._write import check_destination

    require_cookiecutter()
    parsed = parse_source(source, checkout)
    parent = Path(os.path.abspath(output_dir))
    if name is not None and (not name or name in {".", ".."} or "/" in name or os.sep in name):
        raise UsageError(f"{name!r} is no folder name")
    with tempfile.TemporaryDirectory(prefix="scaffold-cookiecutter-") as scratch:
        fetched = TemplateCheckout(parsed, Path(scratch) / "fetch")
        fetched.scratch.mkdir()
        folder, commit = fetched.folder_at()
        render_scratch = Path(scratch) / "render"
        render_scratch.mkdir()
        rendering = render_template(
            folder,
            source=parsed.location,
            checkout=parsed.checkout,
            answers=answers or {},
            no_input=no_input,
            trust=trust,
            output_dir=parent,
            scratch=render_scratch,
        )
        fingerprint = folder_fingerprint(folder, skip={".git"})
    record = TemplateRecord(
        source=parsed.location,
        kind=parsed.kind,
        checkout=parsed.checkout,
        commit=commit,
        hooks=bool(rendering.hooks),
        answers=rendering.answers,
        commands=rendering.commands,
    )
    files = with_answers_file(rendering.files, record, fingerprint)
    dest = parent / (name or rendering.folder_name)
    message = (
        f"Initial commit from scaffold {__version__} (cookiecutter template "
        f"{parsed.describe(commit)})"
    )
    if dry_run:
        replaced = check_destination(dest, files, force=force)
        return TemplateResult(
            dest, parsed, commit, tuple(str(p) for p in files),
            tuple(str(p) for p in replaced), answers=rendering.answers,
            notes=tuple(rendering.notes), dry_run=True,
        )  # fmt: skip
    written = write_and_commit(files, dest, message, force=force, git=git)
    return TemplateResult(
        written.path,
        parsed,
        commit,
        tuple(str(p) for p in files),
        tuple(str(p) for p in written.replaced),
        written.commit,
        written.git_note,
        rendering.answers,
        tuple(rendering.notes),
    )


def with_answers_file(
    files: Mapping[PurePosixPath, RenderedFile], template: TemplateRecord, fingerprint: str
) -> dict[PurePosixPath, RenderedFile]:
    """Add ``.scaffold.json``: the template, the answers, every committed file's hash."""
    recorded = {
        str(path): FileRecord(LAYER, file_digest(file.content), file.executable)
        for path, file in files.items()
        if not file.local
    }
    record = ProjectRecord(__version__, None, recorded, fingerprint, template=template)
    result = dict(files)
    result[PurePosixPath(ANSWERS_FILE)] = RenderedFile(
        dump_record(record).encode(), source="contributor:answers"
    )
    return dict(sorted(result.items()))


# -- the lifecycle -----------------------------------------------------------------------------


class TemplateBlueprint:
    """A project of a cookiecutter template, for ``scaffold check``, ``diff`` and ``update``.

    The new generation is the template at the newest commit of the recorded
    ``--checkout`` (or the one given), rendered with the recorded answers (and any
    changed with ``--answer``); the base is the project's pristine commit, or the
    template rendered again at the recorded commit.
    """

    spec: ProjectSpec | None = None
    rendered_again = "the template rendered again at the recorded commit"
    up_to_date_note = "already up to date with its template"

    def __init__(
        self,
        project: Path,
        record: ProjectRecord,
        *,
        checkout: str | None,
        answers: Mapping[str, str],
        trust: bool,
        renders: bool = True,
    ) -> None:
        """Read what the project was made from.

        Args:
            project: The project folder.
            record: Its answers file.
            checkout: The branch, tag or commit to update to (default: the recorded one).
            answers: Answers to change.
            trust: Run the template's hooks when rendering it.
            renders: Whether it will render (``check`` only compares commits and files).

        Raises:
            UsageError: The template's hooks ran for the project, and ``trust`` is not given.
        """
        assert record.template is not None
        require_cookiecutter()
        self.project = project
        self.record = record
        self.template = record.template
        self.source = TemplateSource(
            self.template.kind,
            self.template.source,
            checkout if checkout is not None else self.template.checkout,
        )
        self.answers = {**self.template.answers, **answers}
        self.changed_answers = sorted(
            k for k, v in answers.items() if self.template.answers.get(k) != v
        )
        self.trust = trust
        if self.template.hooks and not trust and renders:
            raise UsageError(
                f"{project.name} was made with the template's hooks, and an update renders it "
                "again with them: read them, then run again with --trust"
            )
        self.label = "template"
        self.commit: str | None = None

    def prepare(self, scratch: Path) -> None:
        """Fetch the template, and check out the commit to update to."""
        self.scratch = scratch
        self.checkout = TemplateCheckout(self.source, scratch)
        self.folder, self.commit = self.checkout.folder_at()
        self.fingerprint = folder_fingerprint(self.folder, skip={".git"})
        if self.commit:
            self.label = f"template-{self.commit[:12]}"

    def _same_template(self) -> bool:
        if self.template.kind == "git":
            return self.commit == self.template.commit
        return self.fingerprint == self.record.templates

    def status(self) -> tuple[bool, str]:
        """Compare the commit (or the template's files) with the recorded ones."""
        if self.template.kind == "git" and self.commit != self.template.commit:
            old = (self.template.commit or "?")[:12]
            return False, f"the template moved from {old} to {(self.commit or '?')[:12]}"
        if not self._same_template():
            return False, "the template's files changed since the project was generated"
        where = f" at {self.commit[:12]}" if self.commit else ""
        return True, f"up to date with its template{where}"

    def up_to_date(self) -> bool:
        """The same template and the same answers."""
        return self._same_template() and not self.changed_answers

    def _render(self, folder: Path, answers: Mapping[str, Any]) -> dict[str, tuple[bytes, str]]:
        with tempfile.TemporaryDirectory(prefix="scaffold-render-", dir=self.scratch) as scratch:
            rendering = render_template(
                folder,
                source=self.template.source,
                checkout=self.source.checkout,
                answers=answers,
                no_input=True,
                trust=self.trust,
                output_dir=self.project.parent,
                scratch=Path(scratch),
            )
        self.rendering = rendering
        template = TemplateRecord(
            source=self.template.source,
            kind=self.template.kind,
            checkout=self.source.checkout,
            commit=self.commit,
            hooks=bool(rendering.hooks),
            answers=rendering.answers,
            commands=rendering.commands,
        )
        files = with_answers_file(
            rendering.files, template, folder_fingerprint(folder, skip={".git"})
        )
        return {str(p): (f.content, mode_of(f.executable)) for p, f in files.items() if not f.local}

    def render(self) -> tuple[dict[str, tuple[bytes, str]], ProjectModel]:
        """The template at the new commit with the answers: no model (no .env of scaffold's)."""
        return self._render(self.folder, self.answers), ProjectModel()

    def render_recorded(
        self, theirs: Mapping[str, tuple[bytes, str]]
    ) -> Mapping[str, tuple[bytes, str]] | None:
        """The template at the recorded commit (git) or unchanged, with the recorded answers."""
        if self.template.kind == "git" and self.template.commit:
            try:
                folder, commit = self.checkout.folder_at(self.template.commit)
            except TemplateSourceError:
                return None  # the commit is gone (a rewritten history): the hashes decide
            saved = self.commit
            self.commit = commit
            try:
                return self._render(folder, self.template.answers)
            finally:
                self.commit = saved
        if self._same_template():
            return (
                theirs
                if not self.changed_answers
                else self._render(self.folder, self.template.answers)
            )
        return None

    def old_generated(self) -> Mapping[str, str]:
        """A template's project has no generated keys."""
        return {}

    def subject(self) -> str:
        """What changed: the answers, the template's commit or files."""
        parts = []
        if self.changed_answers:
            parts.append(f"Change answers {', '.join(self.changed_answers)}")
        if self.template.kind == "git" and self.commit != self.template.commit:
            old, new = (self.template.commit or "?")[:12], (self.commit or "?")[:12]
            parts.append(f"Update from template {old} to {new}")
        elif not self._same_template():
            parts.append("Update from the template (its files changed)")
        if not parts:
            parts.append("Update from the template")
        return "; ".join([parts[0], *(p[0].lower() + p[1:] for p in parts[1:])])

    def pristine_message(self) -> str:
        """The pristine commit of the template's new generation."""
        from ._lifecycle import PRISTINE_TRAILER

        where = self.source.describe(self.commit)
        return (
            f"Pristine generation of the cookiecutter template {where}\n\n"
            "What the template generates for these answers, untouched: the base of the next\n"
            "scaffold update.\n\n"
            f"{PRISTINE_TRAILER}: {__version__}\n"
        )

    def verify(self, project: Path, on_step: Callable[[StepResult], None] | None) -> VerifyReport:
        """Run the commands the template declares (``scaffold verify``)."""
        from ._verify import verify as run_verify

        return run_verify(project, on_step=on_step)


__all__ = [
    "CookiecutterMissingError",
    "Rendering",
    "TemplateBlueprint",
    "TemplateCheckout",
    "TemplateResult",
    "TemplateSource",
    "find_hooks",
    "generate_from_template",
    "parse_source",
    "render_template",
]
