"""The catalog of kinds, frameworks, databases and features, and which combinations are offered."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._cache import read_toml
from ._names import validate_name_for_language
from ._paths import contracts_root, templates_root
from ._spec import ProjectSpec
from ._version import __version__
from .errors import NotOfferedError, PackError, TemplateError, UnknownChoiceError, UsageError

CATALOG_FILE = "catalog.toml"
KIND_FILE = "kind.toml"
SHARED_DIR = "_shared"
#: The name of the toolkit's own templates among the catalog's sources.
BUILTIN = "scaffold"


@dataclass(frozen=True, slots=True)
class Source:
    """Where catalog entries come from: the toolkit's own templates, or a layer pack.

    Attributes:
        name: ``scaffold`` for the toolkit's own templates, else the pack's name.
        root: Its templates folder: ``catalog.toml``, ``_shared/``, one folder per kind,
            and (for a pack) ``contracts/<kind>/``.
        version: The toolkit's version, or the pack's (its distribution's, or the
            ``[pack] version`` of a folder's ``catalog.toml``); ``None`` if it has none.
        origin: How it was found, for people: ``built-in``, ``entry point ...`` or
            ``folder ...`` (``--templates``).
    """

    name: str
    root: Path
    version: str | None = None
    origin: str = "built-in"

    @property
    def builtin(self) -> bool:
        """Whether these are the toolkit's own templates."""
        return self.origin == "built-in"

    @property
    def from_folder(self) -> bool:
        """Whether it was named as a folder (``--templates``), not installed."""
        return self.origin.startswith("folder ")

    def describe(self) -> str:
        """Say what it is in a few words: ``the built-in templates``, ``pack 'x' 1.0 (...)``."""
        if self.builtin:
            return "the built-in templates"
        version = f" {self.version}" if self.version else ""
        return f"pack {self.name!r}{version} ({self.origin})"

    def to_dict(self) -> dict[str, Any]:
        """Return the source as JSON-ready data."""
        return {
            "name": self.name,
            "version": self.version,
            "origin": self.origin,
            "root": str(self.root),
        }


@dataclass(frozen=True, slots=True)
class Layer:
    """One template folder of a project, and the source it belongs to.

    ``name`` is its path below the source's root (``_shared/fastapi``, ``task-api/python``):
    the name its templates have for Jinja, whichever source they come from, and the
    ``layer`` a generated file records.
    """

    path: Path
    source: Source

    @property
    def name(self) -> str:
        """The folder's path below its source's root, with forward slashes."""
        return self.path.relative_to(self.source.root).as_posix()


@dataclass(frozen=True, slots=True)
class Framework:
    """A web framework and the shared layers it is built from, in order."""

    id: str
    label: str
    language: str
    layers: tuple[str, ...]
    summary: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Database:
    """A database a project can run on.

    Attributes:
        server_env: For a server database, the environment variable naming a server
            where verify may create and drop databases (an admin URL).
        server_default: The URL used when that variable is unset.
        url_schemes: The schemes a ``DATABASE_URL`` of this database may have (a
            driver suffix such as ``+psycopg`` aside).
        url_example: A ``DATABASE_URL`` of this database, for messages.
    """

    id: str
    label: str
    summary: str = ""
    server_env: str | None = None
    server_default: str | None = None
    url_schemes: tuple[str, ...] = ()
    url_example: str = ""
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def needs_server(self) -> bool:
        """Whether the database runs as a server (not embedded like SQLite)."""
        return self.server_env is not None

    def server_url(self) -> str | None:
        """The admin URL of the server to use, from the environment or the default."""
        if self.server_env is None:
            return None
        return os.environ.get(self.server_env) or self.server_default


#: What a feature may be refused on (``[features.<id>.not_offered.<dimension>]``).
FEATURE_DIMENSIONS = ("kind", "framework", "database")


@dataclass(frozen=True, slots=True)
class Feature:
    """An optional part of a project (Docker files, CI workflow, Kubernetes manifests).

    Attributes:
        requires: Other features it needs, each with the reason (``k8s`` runs the
            image that ``docker``'s Dockerfile builds).
        not_offered: Where it is refused and why: by dimension (``kind``,
            ``framework``, ``database``), the ids refused and the reason for each.
        uses: Shared building blocks it is written on (``redis``): each adds its
            ``<layer>+<use>`` folders once, however many chosen features use it.
        excludes: Features it cannot be chosen with, each with the reason (a
            combination that verify does not prove yet is not offered).
    """

    id: str
    label: str
    summary: str = ""
    default: bool = False
    requires: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    uses: tuple[str, ...] = ()
    excludes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    not_offered: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    source: Source | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the feature as JSON-ready data (``scaffold list --json``, ``/metadata``)."""
        return {
            "label": self.label,
            "summary": self.summary,
            "default": self.default,
            "requires": dict(self.requires),
            "uses": list(self.uses),
            "excludes": dict(self.excludes),
            "not_offered": {key: dict(value) for key, value in self.not_offered.items()},
        }

    def notes(self) -> str:
        """One line of what it needs and where it is refused, or an empty string."""
        parts = [f"needs {', '.join(self.requires)}"] if self.requires else []
        parts += [f"not with {', '.join(self.excludes)}"] if self.excludes else []
        parts += [f"not on {', '.join(refused)}" for refused in self.not_offered.values()]
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One HTTP endpoint of a kind, as documented by ``scaffold info``."""

    method: str
    path: str
    summary: str
    auth: str = "user"


@dataclass(frozen=True, slots=True)
class Resource:
    """A domain resource of a kind, its fields and its rules, for people to read."""

    name: str
    fields: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of backend: its domain modules, endpoints and offered combinations.

    ``modules`` are the domain modules; ``models`` and ``routers`` default to them
    and list those that have a model module or a router module where they differ.
    ``uses`` names shared building blocks the kind needs beyond its framework's
    layers (``money``): each adds the folders ``_shared/<layer>+<use>``.
    """

    id: str
    title: str
    summary: str
    modules: tuple[str, ...]
    models: tuple[str, ...]
    routers: tuple[str, ...]
    uses: tuple[str, ...]
    resources: tuple[Resource, ...]
    endpoints: tuple[Endpoint, ...]
    offered: Mapping[str, tuple[str, ...]]
    path: Path
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def contract_suite(self) -> Path:
        """The folder of its black-box contract suite (``contracts/<kind>`` of its source)."""
        folder = self.id.replace("-", "_")
        if self.source is None or self.source.builtin:
            return contracts_root() / folder
        return self.source.root / "contracts" / folder

    def to_dict(self) -> dict[str, Any]:
        """Return the kind as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "modules": list(self.modules),
            "models": list(self.models),
            "routers": list(self.routers),
            "uses": list(self.uses),
            "resources": [
                {"name": r.name, "fields": r.fields, "rules": list(r.rules)} for r in self.resources
            ],
            "endpoints": [
                {"method": e.method, "path": e.path, "summary": e.summary, "auth": e.auth}
                for e in self.endpoints
            ],
            "offered": {fw: list(dbs) for fw, dbs in self.offered.items()},
        }


@dataclass(frozen=True, slots=True)
class Combination:
    """One offered (kind, framework, database) cell of the matrix."""

    kind: str
    framework: str
    database: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.framework}/{self.database}"


@dataclass(frozen=True)
class Catalog:
    """Everything scaffold can generate, read from ``templates/`` and from layer packs.

    Use :func:`load_catalog` to get the catalog shipped with the toolkit, with the
    packs installed (entry points) or named (``SCAFFOLD_TEMPLATES``, ``--templates``).

    Attributes:
        root: The toolkit's own templates folder (the first source's root).
        sources: Where the entries come from: the toolkit's own templates first, then
            each pack; every entry and every layer knows its own.
    """

    root: Path
    frameworks: Mapping[str, Framework]
    databases: Mapping[str, Database]
    features: Mapping[str, Feature]
    kinds: Mapping[str, Kind]
    sources: tuple[Source, ...] = ()

    @property
    def roots(self) -> tuple[Path, ...]:
        """The templates folders of every source, in order (the toolkit's own first)."""
        return tuple(source.root for source in self.sources) or (self.root,)

    @property
    def packs(self) -> tuple[Source, ...]:
        """The layer packs among the sources (every source but the toolkit's own)."""
        return tuple(source for source in self.sources if not source.builtin)

    def pack(self, name: str) -> Source:
        """Return the pack called ``name``, or raise :class:`UnknownChoiceError`."""
        for source in self.packs:
            if source.name == name:
                return source
        raise UnknownChoiceError("pack", name, [p.name for p in self.packs])

    def require_packs(self, recorded: Mapping[str, str | None], project: str) -> None:
        """Refuse a project made with a layer pack that this catalog does not have.

        Raises:
            PackError: Naming the pack, its version, and how to make it available.
        """
        have = {source.name for source in self.packs}
        for name, version in sorted(recorded.items()):
            if name not in have:
                made = f"{name!r} {version}" if version else repr(name)
                raise PackError(
                    f"{project} was made with the layer pack {made}, which is not installed: "
                    "pip install it, or name its folder with --templates (SCAFFOLD_TEMPLATES)"
                )

    def packs_of(self, spec: ProjectSpec) -> tuple[Source, ...]:
        """Return the packs a project of ``spec`` is made with (its kind, choices or layers)."""
        if not self.packs:
            return ()
        used = [
            self.kinds[spec.kind].source,
            self.frameworks[spec.framework].source,
            self.databases[spec.database].source,
            *(self.features[f].source for f in sorted(spec.features)),
            *(layer.source for layer in self.layers(spec)),
        ]
        return tuple(s for s in self.packs if any(u is not None and u.root == s.root for u in used))

    # -- queries -------------------------------------------------------------------------

    def combinations(self) -> list[Combination]:
        """Return every offered combination, in catalog order."""
        return [
            Combination(kind.id, fw, db)
            for kind in self.kinds.values()
            for fw, dbs in kind.offered.items()
            for db in dbs
        ]

    def is_offered(self, kind: str, framework: str, database: str) -> bool:
        """Tell whether a combination is offered (proven in CI)."""
        found = self.kinds.get(kind)
        return found is not None and database in found.offered.get(framework, ())

    def default_features(self) -> frozenset[str]:
        """Return the features a project gets unless told otherwise."""
        return frozenset(f.id for f in self.features.values() if f.default)

    def kind(self, kind_id: str) -> Kind:
        """Return a kind, or raise :class:`UnknownChoiceError` naming the known kinds."""
        try:
            return self.kinds[kind_id]
        except KeyError:
            raise UnknownChoiceError("kind", kind_id, self.kinds) from None

    # -- resolving and checking a request --------------------------------------------------

    def resolve(
        self,
        kind: str,
        name: str | None = None,
        *,
        framework: str | None = None,
        database: str | None = None,
        features: Iterable[str] | None = None,
        without: Iterable[str] = (),
    ) -> ProjectSpec:
        """Fill defaults and check the choices; return a spec that :func:`generate` accepts.

        Defaults: the name is the kind, the framework and the database are the first
        ones offered for the kind (FastAPI, SQLite), the features those marked ``default``.

        Raises:
            UnknownChoiceError: A kind, framework, database or feature is unknown.
            NotOfferedError: The combination is known but not offered, or a feature is
                refused on it (the error carries the catalog's reason).
            InvalidNameError: The name is not a safe project name.
            UsageError: A feature lacks another feature it needs.
        """
        found = self.kind(kind)
        if framework is None:
            framework = next(iter(found.offered), "fastapi")
        if database is None:
            database = next(iter(found.offered.get(framework, ())), "sqlite")
        chosen = set(self.default_features() if features is None else features)
        for feature_id in [*chosen, *without]:
            if feature_id not in self.features:
                raise UnknownChoiceError("feature", feature_id, self.features)
        chosen.difference_update(without)
        spec = ProjectSpec(
            kind=found.id,
            name=name if name is not None else found.id,
            framework=framework,
            database=database,
            features=frozenset(chosen),
        )
        self.validate(spec)
        return spec

    def validate(self, spec: ProjectSpec) -> None:
        """Raise a :class:`~toolkit.errors.UsageError` unless the spec can be generated."""
        kind = self.kind(spec.kind)
        if spec.framework not in self.frameworks:
            raise UnknownChoiceError("framework", spec.framework, self.frameworks)
        if spec.database not in self.databases:
            raise UnknownChoiceError("database", spec.database, self.databases)
        for feature_id in spec.features:
            if feature_id not in self.features:
                raise UnknownChoiceError("feature", feature_id, self.features)
        validate_name_for_language(spec.name, self.frameworks[spec.framework].language)
        if spec.framework not in kind.offered:
            raise NotOfferedError(
                f"framework {spec.framework!r} for {kind.id}", [fw for fw in kind.offered]
            )
        offered_dbs = kind.offered[spec.framework]
        if spec.database not in offered_dbs:
            raise NotOfferedError(
                f"database {spec.database!r} for {kind.id} on {spec.framework}", offered_dbs
            )
        for feature_id in sorted(spec.features):
            self._validate_feature(spec, self.features[feature_id])

    def _validate_feature(self, spec: ProjectSpec, feature: Feature) -> None:
        """Refuse a feature where the catalog says it cannot work, with the catalog's reason."""
        for dimension, refused in feature.not_offered.items():
            value = str(getattr(spec, dimension))
            if value in refused:
                choices = {
                    "kind": list(self.kinds),
                    "framework": list(self.kinds[spec.kind].offered),
                    "database": list(self.kinds[spec.kind].offered[spec.framework]),
                }[dimension]
                raise NotOfferedError(
                    f"feature {feature.id!r} on {value}",
                    [choice for choice in choices if choice not in refused],
                    reason=refused[value],
                )
        for needed, reason in feature.requires.items():
            if needed not in spec.features:
                raise UsageError(
                    f"feature {feature.id!r} needs the feature {needed!r}: {reason}; "
                    f"choose both, or neither"
                )
        for other, reason in feature.excludes.items():
            if other in spec.features:
                raise UsageError(
                    f"feature {feature.id!r} cannot be chosen with {other!r}: {reason}"
                )

    # -- layers ------------------------------------------------------------------------------

    def layers(self, spec: ProjectSpec) -> list[Layer]:
        """Return the template folders of a project, in the order they apply.

        For each layer id ``L`` of the framework: ``L``, then ``L+<database>``, then
        ``L+<use>`` for what the chosen features use (:meth:`feature_uses`), then
        ``L+<feature>`` for each chosen feature (sorted), then ``L+<use>`` for what the
        kind uses; first all of them under ``_shared/`` (of each source, in source
        order: no two sources have a folder of the same name), then under the kind's
        folder. Folders that do not exist are skipped, so a kind holds only what it adds.
        """
        framework = self.frameworks[spec.framework]
        kind = self.kinds[spec.kind]
        tokens = [spec.database, *self.feature_uses(spec), *sorted(spec.features), *kind.uses]
        names: list[str] = []
        for layer in framework.layers:
            names.append(layer)
            names.extend(f"{layer}+{token}" for token in tokens)
        sources = self.sources or (Source(BUILTIN, self.root, __version__),)
        kind_source = kind.source or sources[0]
        found = [
            Layer(source.root / SHARED_DIR / name, source)
            for name in names
            for source in sources
            if (source.root / SHARED_DIR / name).is_dir()
        ]
        found += [
            Layer(kind.path / name, kind_source) for name in names if (kind.path / name).is_dir()
        ]
        return found

    def feature_uses(self, spec: ProjectSpec) -> list[str]:
        """What the chosen features use (``redis``), each once, sorted.

        Two features that use Redis (``ratelimit``, ``cache``) share one ``REDIS_URL``,
        one client and one compose service: those live in the ``+redis`` layers.
        """
        return sorted({use for feature in spec.features for use in self.features[feature].uses})

    def layer_paths(self, spec: ProjectSpec) -> list[Path]:
        """Return the template folders of a project, in order (see :meth:`layers`)."""
        return [layer.path for layer in self.layers(spec)]


def _endpoints(raw: Iterable[Mapping[str, Any]]) -> Iterator[Endpoint]:
    for item in raw:
        yield Endpoint(
            method=str(item["method"]).upper(),
            path=str(item["path"]),
            summary=str(item.get("summary", "")),
            auth=str(item.get("auth", "user")),
        )


def _load_kind(path: Path, common_endpoints: tuple[Endpoint, ...], source: Source) -> Kind:
    raw = read_toml(path / KIND_FILE)
    offered = {str(fw): tuple(str(db) for db in dbs) for fw, dbs in raw.get("offered", {}).items()}
    modules = tuple(str(m) for m in raw.get("modules", ()))
    return Kind(
        id=path.name,
        title=str(raw["title"]),
        summary=str(raw.get("summary", "")),
        modules=modules,
        models=tuple(str(m) for m in raw.get("models", modules)),
        routers=tuple(str(m) for m in raw.get("routers", modules)),
        uses=tuple(str(u) for u in raw.get("uses", ())),
        resources=tuple(
            Resource(
                name=str(r["name"]),
                fields=str(r.get("fields", "")),
                rules=tuple(str(x) for x in r.get("rules", ())),
            )
            for r in raw.get("resources", ())
        ),
        endpoints=common_endpoints + tuple(_endpoints(raw.get("endpoints", ()))),
        offered=MappingProxyType(offered),
        path=path,
        source=source,
    )


def _load_feature(key: str, raw: Mapping[str, Any], source: Path) -> Feature:
    not_offered = raw.get("not_offered", {})
    unknown = set(not_offered) - set(FEATURE_DIMENSIONS)
    if unknown:
        raise TemplateError(
            f"{source}: feature {key!r} is refused on unknown dimension(s) {sorted(unknown)}; "
            f"choose from: {', '.join(FEATURE_DIMENSIONS)}"
        )
    return Feature(
        id=key,
        label=str(raw["label"]),
        summary=str(raw.get("summary", "")),
        default=bool(raw.get("default", False)),
        requires=MappingProxyType({str(k): str(v) for k, v in raw.get("requires", {}).items()}),
        uses=tuple(str(u) for u in raw.get("uses", ())),
        excludes=MappingProxyType({str(k): str(v) for k, v in raw.get("excludes", {}).items()}),
        not_offered=MappingProxyType(
            {
                str(dimension): MappingProxyType({str(k): str(v) for k, v in refused.items()})
                for dimension, refused in not_offered.items()
            }
        ),
    )


class _Kinds(Mapping[str, Kind]):
    """The kinds of the templates folders, each read from its ``kind.toml`` when first asked for.

    A read-only mapping like the catalog's others. ``scaffold new`` needs one kind:
    reading all five (tomllib is pure Python) cost it half as much as rendering the
    whole project from Jinja's cache.
    """

    def __init__(
        self, folders: Mapping[str, tuple[Path, Source]], common: tuple[Endpoint, ...]
    ) -> None:
        self._folders = folders
        self._common = common
        self._read: dict[str, Kind] = {}

    def __getitem__(self, kind_id: str) -> Kind:
        found = self._read.get(kind_id)
        if found is None:
            path, source = self._folders[kind_id]
            found = self._read[kind_id] = _load_kind(path, self._common, source)
        return found

    def __contains__(self, kind_id: object) -> bool:
        return kind_id in self._folders

    def __iter__(self) -> Iterator[str]:
        return iter(self._folders)

    def __len__(self) -> int:
        return len(self._folders)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self._folders)})"


PackArgument = Source | str | os.PathLike[str]


def load_catalog(
    root: Path | None = None, *, packs: Iterable[PackArgument] | None = None
) -> Catalog:
    """Read the catalog from a templates folder (the toolkit's own by default), with packs.

    Args:
        root: The templates folder; the toolkit's own when ``None``.
        packs: Layer packs to add: folders (``--templates``) or sources. When ``None``,
            the toolkit's own catalog gets the packs installed as ``scaffold.templates``
            entry points and the folders of ``SCAFFOLD_TEMPLATES``; another ``root``
            gets none.

    The result is cached: the catalog is immutable.

    Raises:
        PackError: A pack is broken, or clashes with the toolkit or another pack.
    """
    from ._packs import discover_packs, folder_pack

    if packs is None:
        found = discover_packs() if root is None else ()
    else:
        found = tuple(p if isinstance(p, Source) else folder_pack(Path(p)) for p in packs)
    return _load_catalog(Path(root) if root is not None else templates_root(), found)


_FRAGMENT_TABLES = frozenset({"pack", "frameworks", "databases", "features"})


@cache
def _load_catalog(root: Path, packs: tuple[Source, ...]) -> Catalog:
    builtin = Source(BUILTIN, root, __version__)
    sources = (builtin, *packs)
    named: dict[str, Source] = {}
    for source in sources:
        if source.name in named:
            raise PackError(
                f"two layer packs are called {source.name!r}: {named[source.name].describe()} "
                f"and {source.describe()}; a project records its packs by name"
            )
        named[source.name] = source
    frameworks: dict[str, Framework] = {}
    databases: dict[str, Database] = {}
    features: dict[str, Feature] = {}
    folders: dict[str, tuple[Path, Source]] = {}
    common: tuple[Endpoint, ...] = ()
    for source in sources:
        raw = _read_catalog_file(source)
        if source.builtin:
            common = tuple(_endpoints(raw.get("endpoints", ())))
        _add_entries(frameworks, raw.get("frameworks", {}), source, "framework", _framework)
        _add_entries(databases, raw.get("databases", {}), source, "database", _database)
        _add_entries(features, raw.get("features", {}), source, "feature", _feature)
        for path in sorted(source.root.iterdir()):
            if (path / KIND_FILE).is_file():
                _claim(folders, path.name, (path, source), "kind", source)
    if packs:
        from ._packs import check_pack_layers

        check_pack_layers(sources, folders, features, databases)
    return Catalog(
        root=root,
        frameworks=MappingProxyType(frameworks),
        databases=MappingProxyType(databases),
        features=MappingProxyType(features),
        kinds=_Kinds(folders, common),
        sources=sources,
    )


def _read_catalog_file(source: Source) -> dict[str, Any]:
    path = source.root / CATALOG_FILE
    try:
        raw = read_toml(path)
    except (OSError, ValueError) as exc:
        if source.builtin:
            raise TemplateError(f"{path}: {exc}") from exc
        raise PackError(f"{source.describe()}: cannot read {path}: {exc}") from exc
    if not source.builtin:
        unknown = sorted(set(raw) - _FRAGMENT_TABLES)
        if unknown:
            raise PackError(
                f"{source.describe()}: {path} has table(s) {unknown} that a pack cannot "
                f"set; a pack's catalog.toml may hold {sorted(_FRAGMENT_TABLES)} "
                "(its kinds' endpoints go in their kind.toml)"
            )
    return raw


def _claim(entries: dict[str, Any], key: str, value: Any, what: str, source: Source) -> None:
    """Add one entry, refusing a name that another source already has (never replaced)."""
    existing = entries.get(key)
    if existing is not None:
        owner = existing[1] if isinstance(existing, tuple) else existing.source
        raise PackError(
            f"{what} {key!r} is defined twice: by {owner.describe()} and by "
            f"{source.describe()}; a pack cannot replace another source's {what}s "
            "(rename it in the pack)"
        )
    entries[key] = value


def _add_entries(
    entries: dict[str, Any],
    raw: Mapping[str, Any],
    source: Source,
    what: str,
    make: Callable[[str, Mapping[str, Any], Source], Any],
) -> None:
    for key, value in raw.items():
        try:
            entry = make(str(key), value, source)
        except (KeyError, TypeError, ValueError) as exc:
            raise PackError(
                f"{source.describe()}: {what} {key!r} in {CATALOG_FILE} is incomplete ({exc})"
            ) from exc
        if not source.builtin and isinstance(entry, Feature) and entry.default:
            raise PackError(
                f"{source.describe()}: feature {key!r} cannot be a default: it would change "
                "every project of every kind; users choose it with --feature"
            )
        _claim(entries, str(key), entry, what, source)


def _framework(key: str, value: Mapping[str, Any], source: Source) -> Framework:
    return Framework(
        id=key,
        label=str(value["label"]),
        language=str(value["language"]),
        layers=tuple(str(x) for x in value["layers"]),
        summary=str(value.get("summary", "")),
        source=source,
    )


def _database(key: str, value: Mapping[str, Any], source: Source) -> Database:
    return Database(
        id=key,
        label=str(value["label"]),
        summary=str(value.get("summary", "")),
        server_env=value.get("server_env"),
        server_default=value.get("server_default"),
        url_schemes=tuple(str(x) for x in value.get("url_schemes", ())),
        url_example=str(value.get("url_example", "")),
        source=source,
    )


def _feature(key: str, value: Mapping[str, Any], source: Source) -> Feature:
    return replace(_load_feature(key, value, source.root / CATALOG_FILE), source=source)
