"""Project-name rules: a name must work as a folder, a Python package and an npm package."""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Callable

from .errors import InvalidNameError

MAX_NAME_LENGTH = 50

_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

# Names a generated package would shadow: the standard library, the libraries the
# generated projects import, and folders every generated project already has.
_RESERVED_MODULES = frozenset(sys.stdlib_module_names) | {
    "alembic",
    "argon2",
    "django",
    "express",
    "fastapi",
    "flask",
    "gunicorn",
    "httpx",
    "jwt",
    "migrations",
    "node_modules",
    "pydantic",
    "pydantic_settings",
    "pytest",
    "sqlalchemy",
    "src",
    "starlette",
    "tests",
    "uvicorn",
    "werkzeug",
}
# Device names that Windows refuses as file or folder names.
_RESERVED_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


# Node's core modules (require("module").builtinModules on Node 20): an npm package of
# the same name is refused by the registry and would be shadowed by require().
_NODE_CORE_MODULES = frozenset(
    {
        "assert", "async_hooks", "buffer", "child_process", "cluster", "console",
        "constants", "crypto", "dgram", "diagnostics_channel", "dns", "domain", "events",
        "fs", "http", "http2", "https", "inspector", "module", "net", "os", "path",
        "perf_hooks", "process", "punycode", "querystring", "readline", "repl", "stream",
        "string_decoder", "sys", "timers", "tls", "trace_events", "tty", "url", "util",
        "v8", "vm", "wasi", "worker_threads", "zlib",
    }
)  # fmt: skip
# Names the npm registry refuses, and folders every Node project has.
_RESERVED_NPM = frozenset({"node_modules", "favicon.ico", "node", "npm"})


def python_package_name(name: str) -> str:
    """Return the import name of the package generated for project ``name``."""
    return name.replace("-", "_")


def validate_project_name(name: str) -> None:
    """Raise :class:`InvalidNameError` unless ``name`` is a safe project name.

    A safe name is a lowercase slug (``my-tasks``) that is also a valid Python
    identifier once hyphens become underscores, is not a keyword, and shadows no
    module the project imports. Slugs are valid npm package names as well.
    """
    if not name or not name.strip():
        raise InvalidNameError("project name is empty; give a name such as 'my-api'")
    if "/" in name or "\\" in name or name in {".", ".."} or name.startswith("~"):
        raise InvalidNameError(
            f"invalid project name {name!r}: give a plain name, not a path "
            "(use --output-dir to choose where it goes)"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidNameError(
            f"invalid project name {name[:20]!r}...: longer than {MAX_NAME_LENGTH} characters"
        )
    if not _SLUG.fullmatch(name):
        hint = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        example = hint if hint and _SLUG.fullmatch(hint) else "my-api"
        raise InvalidNameError(
            f"invalid project name {name!r}: use lowercase letters, digits and single hyphens, "
            f"starting with a letter (e.g. {example!r})"
        )
    package = python_package_name(name)
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        raise InvalidNameError(f"invalid project name {name!r}: {package!r} is a Python keyword")
    if package in _RESERVED_MODULES:
        raise InvalidNameError(
            f"invalid project name {name!r}: it would shadow the {package!r} module; "
            f"try {name + '-api'!r}"
        )
    if name in _RESERVED_DEVICES:
        raise InvalidNameError(f"invalid project name {name!r}: reserved device name on Windows")


def _check_npm_name(name: str) -> None:
    """Refuse names that are no valid npm package for a Node project."""
    # The slug rule already keeps names lowercase, URL-safe and free of leading dots.
    reserved = name.replace("-", "_") in _NODE_CORE_MODULES or name in _NODE_CORE_MODULES
    if reserved or name in _RESERVED_NPM:
        raise InvalidNameError(
            f"invalid project name {name!r}: it is a Node core module or a name npm "
            f"reserves; try {name + '-api'!r}"
        )


#: Extra name rules of each language, on top of :func:`validate_project_name`.
_LANGUAGE_RULES: dict[str, Callable[[str], None]] = {"node": _check_npm_name}


def validate_name_for_language(name: str, language: str) -> None:
    """Raise :class:`InvalidNameError` if ``name`` breaks a rule of the project's language.

    Every name already passes :func:`validate_project_name` (a slug that is also a safe
    Python package); a Node project's name must also be a valid npm package name that
    no core module of Node shadows (``http``, ``events``).
    """
    check = _LANGUAGE_RULES.get(language)
    if check is not None:
        check(name)
