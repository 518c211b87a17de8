"""Project-name rules: a name must work as a folder, a Python package and an npm package."""

from __future__ import annotations

import keyword
import re
import sys

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
