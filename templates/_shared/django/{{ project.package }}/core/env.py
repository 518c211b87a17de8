"""Reading settings from the environment (and a local .env file), and DATABASE_URL.

Only the standard library: the settings module imports this before Django is set up.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


def load_dotenv(path: Path) -> None:
    """Put the ``NAME=value`` lines of ``path`` into the environment, without overriding.

    The real environment always wins, so a deployment never reads a stray .env.
    """
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        name = name.removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(name, value)


def text(name: str, default: str | None = None) -> str:
    """A string setting; without a default it is required."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"set the {name} environment variable")
    return value


def integer(name: str, default: int, *, minimum: int = 0) -> int:
    """An integer setting of at least ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}")
    return value


def boolean(name: str, default: bool) -> bool:
    """A true/false setting (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in TRUE:
        return True
    if raw.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def listing(name: str, default: str) -> list[str]:
    """A comma-separated list setting."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


_ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}


def parse_database_url(url: str) -> dict[str, Any]:
    """Turn a database URL into one entry of Django's ``DATABASES``.

    ``sqlite:///relative.db``, ``sqlite:////absolute.db``, ``sqlite://`` (in memory),
    ``postgresql://user:password@host:5432/name`` and
    ``mysql://user:password@host:3306/name?charset=utf8mb4``; a driver suffix such as
    ``postgresql+psycopg`` is accepted and ignored. Query parameters become OPTIONS.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0].lower()
    engine = _ENGINES.get(scheme)
    if engine is None:
        choices = ", ".join(sorted(_ENGINES))
        raise ImproperlyConfigured(f"DATABASE_URL: unknown scheme {parts.scheme!r} ({choices})")
    if scheme == "sqlite":
        # sqlite:///app.db is relative, sqlite:////srv/app.db absolute, sqlite:// in memory.
        path = unquote(url.split("://", 1)[1].split("?", 1)[0].removeprefix("/"))
        return {"ENGINE": engine, "NAME": path or ":memory:"}
    name = unquote(parts.path.removeprefix("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL names no database")
    return {
        "ENGINE": engine,
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
    }
