"""What ``GET /metadata`` tells: the catalog as JSON, every combination with its status."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .._catalog import BUILTIN, Catalog
from .._spec import ProjectSpec
from .._version import __version__
from ..errors import NotOfferedError


def not_offered_reason(catalog: Catalog, kind: str, framework: str, database: str) -> str | None:
    """The CLI's own message refusing a combination, or ``None`` when it is offered."""
    try:
        catalog.validate(ProjectSpec(kind, "my-project", framework, database))
    except NotOfferedError as exc:
        return str(exc)
    return None


def build_metadata(catalog: Catalog) -> dict[str, Any]:
    """Return the catalog as ``scaffold list --json`` and ``info --json`` give it, in one.

    ``combinations`` has every kind x framework x database: the offered ones are
    ``verified`` (only combinations proven in CI may be offered), the others carry the
    reason the CLI gives when asked for them.
    """
    features = sorted(catalog.features)
    kinds = {}
    for kind in catalog.kinds.values():
        data = kind.to_dict()
        data["features"] = features
        data["source"] = _source(kind)
        data["defaults"] = {
            "framework": next(iter(kind.offered)),
            "database": {fw: dbs[0] for fw, dbs in kind.offered.items()},
        }
        kinds[kind.id] = data
    combinations = []
    for kind_id in catalog.kinds:
        for framework in catalog.frameworks:
            for database in catalog.databases:
                reason = not_offered_reason(catalog, kind_id, framework, database)
                combinations.append(
                    {
                        "kind": kind_id,
                        "framework": framework,
                        "database": database,
                        "offered": reason is None,
                        "verified": reason is None,
                        "reason": reason,
                    }
                )
    return {
        "version": __version__,
        "kinds": kinds,
        "frameworks": {
            f.id: {
                "label": f.label,
                "summary": f.summary,
                "language": f.language,
                "source": _source(f),
            }
            for f in catalog.frameworks.values()
        },
        "databases": {
            d.id: {
                "label": d.label,
                "summary": d.summary,
                "server": d.needs_server,
                "source": _source(d),
            }
            for d in catalog.databases.values()
        },
        "features": {
            f.id: {**f.to_dict(), "source": _source(f)} for f in catalog.features.values()
        },
        "sources": [
            {"name": s.name, "version": s.version, "origin": s.origin} for s in catalog.sources
        ],
        "defaults": {"features": sorted(catalog.default_features()), "git": False},
        "combinations": combinations,
    }


def _source(entry: Any) -> str:
    """The name of the source an entry comes from: ``scaffold``, or a layer pack's."""
    return BUILTIN if entry.source is None else str(entry.source.name)


def encode(data: Any) -> tuple[bytes, str]:
    """Return compact JSON bytes and a strong ETag made from them."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'
