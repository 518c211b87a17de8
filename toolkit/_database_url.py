"""A database URL given at generation (``--database-url``): checked, spelled as the stack does."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ._catalog import Database
from .errors import InvalidDatabaseUrlError

# The characters .env files and URLs share without quoting: no spaces, quotes or comments.
_PLAIN = re.compile(r"[^\s'\"#]+")


def hide_password(url: str) -> str:
    """Return ``url`` with its password, if any, replaced by ``***`` (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    netloc = f"{user.split(':', 1)[0]}:***@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def database_url_for(url: str, database: Database, variables: Mapping[str, Any]) -> str:
    """Check a database URL for a project and return it as the project's ``.env`` holds it.

    Its scheme must be one of the database's (``postgresql`` or ``postgres`` for
    PostgreSQL), with or without a driver suffix; the stack's own spelling replaces it
    (``url_scheme`` of its layers, e.g. ``postgresql+psycopg`` on SQLAlchemy), and the
    stack's query (``url_query``, e.g. ``charset=utf8mb4``) is added when the URL has none.

    Args:
        url: The URL given, e.g. ``postgresql://me:secret@db.local:5432/tasks``.
        database: The project's database.
        variables: The project model's ``vars`` (``url_scheme``, ``url_query``).

    Raises:
        InvalidDatabaseUrlError: Another database's URL, or one without a host or a
            database name (the message hides the password).
    """
    shown = hide_password(url) if _PLAIN.fullmatch(url) else repr(url)
    schemes = " or ".join(f"{scheme}://" for scheme in database.url_schemes)
    needs = f"a {database.label} URL starts with {schemes}, e.g. {database.url_example}"
    if not _PLAIN.fullmatch(url):
        raise InvalidDatabaseUrlError(f"invalid database URL {shown}: spaces, quotes or #; {needs}")
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme.split("+", 1)[0].lower() not in database.url_schemes:
        raise InvalidDatabaseUrlError(f"invalid database URL {shown}: {needs}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError as exc:
        raise InvalidDatabaseUrlError(f"invalid database URL {shown}: {exc}; {needs}") from None
    name = parts.path.lstrip("/")
    if database.needs_server and (not parts.hostname or not name):
        raise InvalidDatabaseUrlError(
            f"invalid database URL {shown}: it needs a host and a database name; {needs}"
        )
    if not database.needs_server and not name:
        raise InvalidDatabaseUrlError(f"invalid database URL {shown}: it needs a file; {needs}")
    # The scheme is replaced as text: urlunsplit would make sqlite:////abs/path relative.
    spelled = str(variables.get("url_scheme") or scheme) + url[len(scheme) :]
    query = "" if parts.query else str(variables.get("url_query", ""))
    return f"{spelled}?{query}" if query else spelled
