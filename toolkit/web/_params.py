"""Request parameters of the HTTP API: checked, then resolved into a spec by the catalog."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .._catalog import Catalog
from .._spec import ProjectSpec
from ..errors import NotOfferedError, UnknownChoiceError, UsageError

#: The parameters of ``/starter.zip``, ``/starter.tgz``, ``/spec`` and ``/preview``: the
#: options of ``scaffold new`` (``feature`` and ``without`` may repeat).
SPEC_PARAMETERS = ("kind", "name", "framework", "database", "feature", "without", "git")
#: ``/preview`` also takes the path of one file.
PREVIEW_PARAMETERS = (*SPEC_PARAMETERS, "path")
REPEATABLE = frozenset({"feature", "without"})
#: More than this many parameters in one request is refused (the features repeat, a
#: real request has about ten).
MAX_PARAMETERS = 32
#: The longest value taken; a project name has at most 50 characters, a file path less.
MAX_VALUE_LENGTH = 200
TRUE = ("true", "1", "yes", "on")
FALSE = ("false", "0", "no", "off")


class BadParameters(UsageError):
    """Parameters the API refuses: a one-line message, and the valid choices when known.

    Attributes:
        parameter: The parameter at fault, when there is one.
        choices: What it may be, when that is a closed list.
    """

    def __init__(
        self, message: str, *, parameter: str | None = None, choices: Iterable[str] = ()
    ) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.choices = sorted(choices)

    @classmethod
    def from_usage(cls, exc: UsageError) -> BadParameters:
        """Carry the library's own message (the one the CLI prints) and its choices."""
        if isinstance(exc, BadParameters):
            return exc
        if isinstance(exc, UnknownChoiceError):
            # The catalog says "feature" for --feature and --without alike.
            return cls(str(exc), parameter=exc.what, choices=exc.offered)
        if isinstance(exc, NotOfferedError):
            # Its message starts with what is not offered: "framework 'x' for ...".
            what = exc.combination.split(" ", 1)[0]
            return cls(str(exc), parameter=what, choices=exc.offered)
        return cls(str(exc), parameter="name")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON body of the 400 answer: ``detail``, then what may help."""
        body: dict[str, Any] = {"detail": str(self)}
        if self.parameter is not None:
            body["parameter"] = self.parameter
        if self.choices:
            body["choices"] = self.choices
        return body


@dataclass(frozen=True, slots=True)
class Choice:
    """What one request asks for: a checked spec, whether to include Git, one file's path."""

    spec: ProjectSpec
    git: bool = False
    path: str | None = None


def parse_query(raw: bytes | str) -> list[tuple[str, str]]:
    """Split a query string or form body into pairs; escapes that are no UTF-8 become U+FFFD.

    Raises:
        BadParameters: More than :data:`MAX_PARAMETERS` parameters.
    """
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        return parse_qsl(
            text, keep_blank_values=True, max_num_fields=MAX_PARAMETERS, errors="replace"
        )
    except ValueError:
        raise BadParameters(f"too many parameters (at most {MAX_PARAMETERS})") from None


def _shown(value: str) -> str:
    """A value as a message may quote it: repr (no raw control characters), cut short."""
    return repr(value if len(value) <= 40 else value[:40] + "...")


def read_choice(
    pairs: Sequence[tuple[str, str]],
    catalog: Catalog,
    *,
    allowed: Sequence[str] = SPEC_PARAMETERS,
) -> Choice:
    """Check the parameters of one request and resolve them as ``scaffold new`` does.

    An empty value is the same as leaving the parameter out, except for ``feature``:
    once ``feature`` is given, the features are exactly the non-empty values given
    (``feature=`` alone means none), as ``--feature`` on the command line.

    Raises:
        BadParameters: An unknown, repeated, missing or too long parameter, or a choice
            the catalog refuses (with the library's message and choices).
    """
    values: dict[str, list[str]] = {}
    if len(pairs) > MAX_PARAMETERS:
        raise BadParameters(f"too many parameters (at most {MAX_PARAMETERS})")
    for key, value in pairs:
        if key not in allowed:
            raise BadParameters(
                f"unknown parameter {_shown(key)}; choose from: {', '.join(sorted(allowed))}",
                choices=allowed,
            )
        if len(value) > MAX_VALUE_LENGTH:
            raise BadParameters(
                f"parameter {key!r} is too long (at most {MAX_VALUE_LENGTH} characters)",
                parameter=key,
            )
        if key in values and key not in REPEATABLE:
            raise BadParameters(f"parameter {key!r} is given more than once", parameter=key)
        values.setdefault(key, []).append(value)

    def single(key: str) -> str | None:
        found = values.get(key, [""])[0]
        return found or None

    kind = single("kind")
    if kind is None:
        raise BadParameters(
            f"parameter 'kind' is required; choose from: {', '.join(sorted(catalog.kinds))}",
            parameter="kind",
            choices=catalog.kinds,
        )
    git_value = (single("git") or "false").lower()
    if git_value not in TRUE + FALSE:
        raise BadParameters(
            f"invalid git {_shown(git_value)}; choose from: false, true",
            parameter="git",
            choices=("false", "true"),
        )
    features = None
    if "feature" in values:
        features = [f for f in values["feature"] if f]
    try:
        spec = catalog.resolve(
            kind,
            single("name"),
            framework=single("framework"),
            database=single("database"),
            features=features,
            without=[w for w in values.get("without", ()) if w],
        )
    except UsageError as exc:
        raise BadParameters.from_usage(exc) from None
    return Choice(spec=spec, git=git_value in TRUE, path=single("path"))


def canonical_pairs(choice: Choice, catalog: Catalog) -> list[tuple[str, str]]:
    """The shortest parameters that ask for the same project (what a share link carries).

    Kind, framework and database are always named, so that a link keeps its meaning if
    a default changes; the name only when it is not the kind's; features as changes to
    the defaults.
    """
    spec = choice.spec
    pairs = [("kind", spec.kind)]
    if spec.name != spec.kind:
        pairs.append(("name", spec.name))
    pairs += [("framework", spec.framework), ("database", spec.database)]
    defaults = catalog.default_features()
    if spec.features <= defaults:
        pairs += [("without", f) for f in sorted(defaults - spec.features)]
    else:
        pairs += [("feature", f) for f in sorted(spec.features)]
    if choice.git:
        pairs.append(("git", "true"))
    return pairs


def canonical_query(choice: Choice, catalog: Catalog) -> str:
    """Return :func:`canonical_pairs` as a query string."""
    return urlencode(canonical_pairs(choice, catalog))


def scaffold_command(choice: Choice, catalog: Catalog) -> str:
    """The ``scaffold new`` command that writes the same project, without prompting."""
    spec = choice.spec
    kind = catalog.kinds[spec.kind]
    argv = ["scaffold", "new", spec.kind]
    if spec.name != spec.kind:
        argv.append(spec.name)
    default_framework = next(iter(kind.offered))
    if spec.framework != default_framework:
        argv += ["-f", spec.framework]
    if spec.database != next(iter(kind.offered[spec.framework])):
        argv += ["-d", spec.database]
    defaults = catalog.default_features()
    if spec.features <= defaults:
        for feature in sorted(defaults - spec.features):
            argv += ["--without", feature]
    else:
        for feature in sorted(spec.features):
            argv += ["--feature", feature]
    argv.append("--no-input")
    if not choice.git:
        argv.append("--no-git")
    return shlex.join(argv)


def curl_command(choice: Choice, catalog: Catalog, base_url: str) -> str:
    """The ``curl`` command that downloads the same project and unpacks it here."""
    url = f"{base_url.rstrip('/')}/starter.tgz?{canonical_query(choice, catalog)}"
    return f"curl -fsSL {shlex.quote(url)} | tar -xzf -"
