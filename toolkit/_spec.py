"""The frozen description of a project to generate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._names import python_package_name, validate_project_name


@dataclass(frozen=True, slots=True)
class ProjectSpec:
    """What to generate: getters only, as Initializr's ``ProjectDescription``.

    Build one directly when every choice is known, or with
    :meth:`toolkit.Catalog.resolve`, which fills defaults and checks the choices
    against what is offered. The name is checked here, on construction.

    Attributes:
        kind: The kind of backend, e.g. ``"task-api"``.
        name: The project name, a lowercase slug such as ``"my-tasks"``; it names the
            folder and (with underscores) the Python package.
        framework: The framework id, e.g. ``"fastapi"``.
        database: The database id, e.g. ``"sqlite"``.
        features: Optional parts switched on, e.g. ``{"docker", "ci"}``.
    """

    kind: str
    name: str
    framework: str = "fastapi"
    database: str = "sqlite"
    features: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        validate_project_name(self.name)
        if not isinstance(self.features, frozenset):
            object.__setattr__(self, "features", frozenset(self.features))

    @property
    def package(self) -> str:
        """The import name of the generated package (``my-tasks`` gives ``my_tasks``)."""
        return python_package_name(self.name)

    @property
    def label(self) -> str:
        """A short label such as ``task-api, fastapi, sqlite``."""
        return f"{self.kind}, {self.framework}, {self.database}"

    def to_dict(self) -> dict[str, Any]:
        """Return the spec as plain JSON-ready data (features sorted)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "framework": self.framework,
            "database": self.database,
            "features": sorted(self.features),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProjectSpec:
        """Build a spec from :meth:`to_dict` output (e.g. a project's answers file)."""
        return cls(
            kind=str(data["kind"]),
            name=str(data["name"]),
            framework=str(data["framework"]),
            database=str(data["database"]),
            features=frozenset(str(f) for f in data.get("features", ())),
        )
