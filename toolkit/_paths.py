"""Where the templates are: inside the installed wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def templates_root() -> Path:
    """Return the folder holding ``catalog.toml``, ``_shared/`` and one folder per kind."""
    installed = _PACKAGE_DIR / "templates"
    if (installed / "catalog.toml").is_file():
        return installed
    return _PACKAGE_DIR.parent / "templates"


def contracts_root() -> Path:
    """Return the folder holding the black-box contract suites."""
    return _PACKAGE_DIR / "contracts"
