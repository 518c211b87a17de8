"""Pure rendering: a spec becomes a mapping of relative paths to bytes; nothing is written."""

from __future__ import annotations

import json
import os
import secrets
import shlex
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from ._answers import ANSWERS_FILE, FileRecord, ProjectRecord, dump_record, file_digest
from ._answers import template_fingerprint as _template_fingerprint
from ._cache import cache_folder
from ._catalog import CATALOG_FILE as CATALOG_NAME
from ._catalog import KIND_FILE, Catalog, Layer, load_catalog
from ._database_url import database_url_for
from ._locks import Locks
from ._model import LAYER_FILE, EnvVar, ProjectModel, build_model
from ._spec import ProjectSpec
from ._version import __version__
from .errors import TemplateError

if TYPE_CHECKING:
    import jinja2

#: Only files ending in this suffix are rendered (and lose it); others are copied as
#: they are. Template .py files therefore never look like Python to tools.
TEMPLATE_SUFFIX = ".jinja"
#: Files ending in this suffix are never written; other templates include them.
PARTIAL_SUFFIX = ".partial"
_SKIPPED = frozenset({LAYER_FILE, KIND_FILE, "__pycache__", ".DS_Store"})

SecretFactory = Callable[[], str]


def new_secret() -> str:
    """Return a fresh random secret for ``.env`` (384 bits, URL-safe)."""
    return secrets.token_urlsafe(48)


def make_generated(generator: str, path: str) -> bytes:
    """Make the content of a generated file (``rsa-private-key``: a 2048-bit PEM key)."""
    if generator == "rsa-private-key":
        # cryptography is imported only for the projects that need a key pair.
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    raise TemplateError(f"{path}: unknown generator {generator!r}")


@dataclass(frozen=True, slots=True)
class RenderedFile:
    """One file of a rendered project.

    Attributes:
        content: The bytes to write.
        executable: Whether to set the executable bits.
        source: Where it came from (a template path, or the contributor that made it).
    """

    content: bytes
    executable: bool = False
    source: str = ""

    @property
    def local(self) -> bool:
        """Whether it is local state (``.env``, a generated key): never committed or updated."""
        return self.source in LOCAL_SOURCES or self.source.startswith(_LOCAL_PREFIXES)


#: The sources of files that hold a project's local state and secrets.
LOCAL_SOURCES = frozenset({"contributor:dotenv"})
#: The source prefix of files made fresh for each project (``generate:rsa-private-key``).
GENERATED_PREFIX = "generate:"
#: The source prefix of a cookiecutter template's files that its .gitignore ignores.
IGNORED_PREFIX = "ignored:"
_LOCAL_PREFIXES = (GENERATED_PREFIX, IGNORED_PREFIX)


@dataclass(frozen=True)
class RenderedProject:
    """A project computed in memory: what :func:`toolkit.generate` would write."""

    spec: ProjectSpec
    files: Mapping[PurePosixPath, RenderedFile]
    model: ProjectModel = field(repr=False)

    @property
    def commands(self) -> dict[str, str]:
        """The project's documented commands (setup, test, serve...), ready to run."""
        return {k: v.format(package=self.spec.package) for k, v in self.model.commands.items()}

    def paths(self) -> list[str]:
        """Return the relative paths, sorted."""
        return [str(p) for p in self.files]

    def tree(self) -> str:
        """Return an indented tree of the files, as ``--dry-run`` prints it."""
        lines: list[str] = [f"{self.spec.name}/"]
        seen: set[PurePosixPath] = set()
        for path in self.files:
            for depth, parent in enumerate(reversed(path.parents[:-1])):
                if parent not in seen:
                    seen.add(parent)
                    lines.append(f"{'  ' * (depth + 1)}{parent.name}/")
            lines.append(f"{'  ' * len(path.parts)}{path.name}")
        return "\n".join(lines)


@dataclass
class Build:
    """The mutable state contributors share while one project is rendered."""

    spec: ProjectSpec
    catalog: Catalog
    layers: list[Layer]
    model: ProjectModel
    context: dict[str, Any]
    make_secret: SecretFactory
    files: dict[PurePosixPath, RenderedFile] = field(default_factory=dict)
    #: Values of ``.env`` given for this project (``DATABASE_URL`` from ``--database-url``).
    env_values: dict[str, str] = field(default_factory=dict)

    def add(self, path: str | PurePosixPath, content: str | bytes, *, source: str) -> None:
        """Add or replace a file (a later contributor wins, as a later layer does)."""
        data = content.encode() if isinstance(content, str) else content
        self.files[PurePosixPath(path)] = RenderedFile(data, source=source)


class Contributor(Protocol):
    """One concern of a generated project, applied in ``order`` when ``applies``.

    A ``local`` contributor writes local state (secrets); an update renders without them.
    """

    order: int
    local: bool

    def applies(self, spec: ProjectSpec) -> bool:
        """Tell whether this contributor has something to add for ``spec``."""

    def contribute(self, build: Build) -> None:
        """Add files to ``build``."""


class TemplateLayers:
    """Render every file of every layer folder, later layers replacing earlier files."""

    order = 0
    local = False

    def applies(self, spec: ProjectSpec) -> bool:
        """Every project is made of layers."""
        return True

    def contribute(self, build: Build) -> None:
        """Render the layers of ``build`` into its files."""
        env = _environment(build.catalog.roots)
        for layer in build.layers:
            above = tuple(layer.name.split("/"))
            for source, relative in _walk(layer.path):
                target = _render_path(env, relative, build.context)
                if target is None:
                    continue
                name = "/".join((*above, *relative))  # the template's name for Jinja
                if source.endswith(TEMPLATE_SUFFIX):
                    content = _render_template(env, name, build.context).encode()
                else:
                    with open(source, "rb") as handle:
                        content = handle.read()
                # Keep the executable bit of scripts (bin/www, entrypoints): a copied
                # script that lost it would fail only when someone runs it.
                executable = bool(os.stat(source).st_mode & stat.S_IXUSR)
                build.files[target] = RenderedFile(content, executable, source=name)


class DotEnv:
    """Write ``.env`` with the generated secrets; it is git-ignored, ``.env.example`` is not."""

    order = 100
    local = True

    def applies(self, spec: ProjectSpec) -> bool:
        """Every project reads its settings from the environment."""
        return True

    def contribute(self, build: Build) -> None:
        """Add ``.env`` from the model's environment variables."""
        lines = [
            f"# Local settings for {build.spec.name}; generated by scaffold, never committed.",
        ]
        for var in build.model.env.values():
            value = build.env_values.get(var.name)
            if value is None:
                value = dotenv_value(var, build.make_secret)
            lines.append(f"{var.name}={value}")
        build.add(".env", "\n".join(lines) + "\n", source="contributor:dotenv")


def dotenv_value(var: EnvVar, make_secret: SecretFactory) -> str:
    """Return the value ``.env`` gets for a variable: a fresh secret, its value or its example."""
    if var.generate == "token":
        return make_secret()
    if var.generate is not None:
        raise TemplateError(f"env {var.name}: unknown generator {var.generate!r}")
    return var.value if var.value is not None else var.example


class GeneratedFiles:
    """Write files made fresh for each project, such as a private signing key.

    A layer asks for them in ``layer.toml`` (``[generate] "secrets/key.pem" = "rsa-private-key"``);
    like ``.env`` they hold secrets, so the layer also git-ignores and docker-ignores them.
    """

    order = 105
    local = True

    def applies(self, spec: ProjectSpec) -> bool:
        """Only projects whose layers ask for generated files."""
        return True

    def contribute(self, build: Build) -> None:
        """Add each generated file."""
        for path, generator in build.model.generate.items():
            build.add(path, make_generated(generator, path), source=GENERATED_PREFIX + generator)


class Answers:
    """Record what the project is and what was generated, for ``verify`` and ``update``.

    Besides the version and the answers, every committed file's layer and content
    hash (so that an update can tell the user's changes from scaffold's), and a
    fingerprint of the template sources (so that ``scaffold check`` need not render).
    """

    order = 110
    local = False

    def applies(self, spec: ProjectSpec) -> bool:
        """Every project records its answers."""
        return True

    def contribute(self, build: Build) -> None:
        """Add the answers file."""
        files = {
            str(path): FileRecord(_layer_of(file), file_digest(file.content), file.executable)
            for path, file in build.files.items()
            if not file.local and str(path) != ANSWERS_FILE
        }
        fingerprint = catalog_fingerprint(build.catalog, build.spec, build.layers)
        env = {
            var.name: None if var.generate else dotenv_value(var, _no_secret)
            for var in build.model.env.values()
        }
        packs = {p.name: p.version for p in build.catalog.packs_of(build.spec)}
        record = ProjectRecord(
            __version__,
            build.spec,
            files,
            fingerprint,
            env,
            dict(build.model.generate),
            packs=packs,
        )
        build.add(ANSWERS_FILE, dump_record(record), source="contributor:answers")


def _no_secret() -> str:
    raise AssertionError("the answers file never records a secret")


def _layer_of(file: RenderedFile) -> str:
    """Return the layer folder a file came from (``_shared/fastapi``), or its contributor."""
    parts = file.source.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else file.source


CONTRIBUTORS: tuple[Contributor, ...] = (
    TemplateLayers(),
    Locks(),
    DotEnv(),
    GeneratedFiles(),
    Answers(),
)


def render(
    spec: ProjectSpec,
    *,
    catalog: Catalog | None = None,
    make_secret: SecretFactory = new_secret,
    with_local: bool = True,
    database_url: str | None = None,
) -> RenderedProject:
    """Compute every file of the project described by ``spec``, writing nothing.

    Args:
        spec: What to generate; checked against the catalog first.
        catalog: The catalog to use (the toolkit's own by default).
        make_secret: Makes each generated secret; pass a fixed function for
            reproducible output.
        with_local: Also make the local files (``.env``, generated keys); an update
            renders without them, since it never replaces them.
        database_url: The ``DATABASE_URL`` for ``.env`` (an existing server's, say),
            instead of the example that points at compose's database. Only ``.env``
            holds it, never a committed file.

    Raises:
        UsageError: The spec asks for something that is not offered, or
            ``database_url`` is not a URL of the spec's database.
        TemplateError: A template is broken.
    """
    catalog = catalog or load_catalog()
    catalog.validate(spec)
    layers = catalog.layers(spec)
    model = build_model(layer.path for layer in layers)
    build = Build(
        spec=spec,
        catalog=catalog,
        layers=layers,
        model=model,
        context=template_context(spec, catalog, model),
        make_secret=make_secret,
    )
    if database_url is not None:
        database = catalog.databases[spec.database]
        build.env_values["DATABASE_URL"] = database_url_for(database_url, database, model.vars)
    for contributor in sorted(CONTRIBUTORS, key=lambda c: c.order):
        if (with_local or not contributor.local) and contributor.applies(spec):
            contributor.contribute(build)
    files = dict(sorted(build.files.items()))
    return RenderedProject(spec=spec, files=files, model=model)


def template_context(spec: ProjectSpec, catalog: Catalog, model: ProjectModel) -> dict[str, Any]:
    """Return the variables every template sees."""
    kind = catalog.kinds[spec.kind]
    framework = catalog.frameworks[spec.framework]
    database = catalog.databases[spec.database]
    return {
        "scaffold_version": __version__,
        "project": {
            "name": spec.name,
            "package": spec.package,
            "title": spec.name.replace("-", " ").title(),
        },
        "spec": spec.to_dict(),
        "features": sorted(spec.features),
        # What the chosen features use (``redis``): shared parts written once for them all.
        "uses": catalog.feature_uses(spec),
        "kind": kind.to_dict(),
        "framework": {"id": framework.id, "label": framework.label, "language": framework.language},
        "database": {"id": database.id, "label": database.label, "server": database.needs_server},
        "dependencies": model.dependencies,
        "dev_dependencies": model.dev_dependencies,
        "ignore": model.ignore,
        "env": list(model.env.values()),
        "commands": {k: v.format(package=spec.package) for k, v in model.commands.items()},
        "vars": model.vars,
    }


def _walk(layer: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Return the files of a layer folder in order: each one's path and its parts below it.

    Plain strings, not pathlib objects: this runs for every file of every layer, and
    pathlib's objects made a fifth of the work of rendering a project.
    """
    found: list[tuple[str, tuple[str, ...]]] = []
    top = os.fspath(layer)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIPPED)
        below = dirpath[len(top) + 1 :]  # os.walk joins each folder onto ``top``
        folder = tuple(below.split(os.sep)) if below else ()
        found.extend(
            (os.path.join(dirpath, f), (*folder, f))
            for f in sorted(filenames)
            if f not in _SKIPPED and not f.endswith(PARTIAL_SUFFIX)
        )
    return found


def _render_path(
    env: jinja2.Environment, relative: tuple[str, ...], context: dict[str, Any]
) -> PurePosixPath | None:
    """Render templated path parts; a part that renders empty drops the file (copier's rule)."""
    raw = list(relative)
    if raw[-1].endswith(TEMPLATE_SUFFIX):
        raw[-1] = raw[-1][: -len(TEMPLATE_SUFFIX)]
    parts: list[str] = []
    for part in raw:
        if "{{" in part or "{%" in part:
            part = _from_string(env, part).render(context).strip()
            if not part:
                return None
        parts.append(part)
    return PurePosixPath(*parts)


def _render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    import jinja2

    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise TemplateError(f"template {where}: {exc}") from exc


def catalog_fingerprint(catalog: Catalog, spec: ProjectSpec, layers: list[Layer]) -> str:
    """Return the fingerprint of the template sources of ``spec`` (see ``template_fingerprint``).

    The catalog files of the packs it is made with count too; a project of the
    built-in templates alone gets the digest it got before there were packs.
    """
    kind = catalog.kinds[spec.kind]
    kind_root = kind.source.root if kind.source is not None else catalog.root
    files = [
        (CATALOG_NAME, catalog.root / CATALOG_NAME),
        ((kind.path / KIND_FILE).relative_to(kind_root).as_posix(), kind.path / KIND_FILE),
        *(
            (f"pack {p.name}: {CATALOG_NAME}", p.root / CATALOG_NAME)
            for p in catalog.packs_of(spec)
        ),
    ]
    return _template_fingerprint(files, [(layer.name, layer.path) for layer in layers])


@cache
def _environment(roots: tuple[Path, ...]) -> jinja2.Environment:
    # jinja2 is imported here, not at module level, so that commands which render
    # nothing (--help, list, info) do not pay for it.
    import jinja2

    # One name space over every source's folder: a pack's templates may include or
    # extend the built-in ones (``_shared/...``), and no two sources share a folder name.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(roots)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["exec_form"] = exec_form
    env.filters["js_string"] = js_string
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's compiled templates, kept between runs (compiling costs more than rendering).

    Entries are checked against the template source, so an edited template is compiled
    again; :mod:`toolkit._cache` says where they are kept.
    """
    import jinja2

    folder = cache_folder("jinja")
    return None if folder is None else jinja2.FileSystemBytecodeCache(str(folder))


def exec_form(command: str) -> str:
    """Turn a shell command into Dockerfile exec form: ``["gunicorn", "app:app"]``."""
    return json.dumps(shlex.split(command))


def js_string(text: str) -> str:
    """Turn text into a JavaScript string literal as prettier (``singleQuote``) writes it.

    Single quotes, unless the text holds more of them than double quotes: the quote
    that needs fewer escapes, so that a generated project passes ``prettier --check``.
    """
    body = json.dumps(text)[1:-1]  # escapes backslashes, control characters and "
    if text.count("'") > text.count('"'):
        return f'"{body}"'
    return "'" + body.replace('\\"', '"').replace("'", "\\'") + "'"


@cache
def _from_string(env: jinja2.Environment, source: str) -> jinja2.Template:
    """Compile a templated path part, through the bytecode cache as a file template is.

    Compiling even ``{{ project.package }}`` builds Jinja's lexer (a dozen regular
    expressions): a sixth of the work of rendering a project, on every run.
    """
    bcc = env.bytecode_cache
    if bcc is None:
        return env.from_string(source)
    # The same steps as Jinja's loaders take; the key cannot clash with a file
    # template's, which includes the template's file name.
    bucket = bcc.get_bucket(env, f"path part {source}", None, source)
    if bucket.code is None:
        bucket.code = env.compile(source)
        bcc.set_bucket(bucket)
    return env.template_class.from_code(env, bucket.code, env.make_globals(None))
