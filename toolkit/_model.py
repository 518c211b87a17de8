"""The project model: dependencies, ignore lists, environment and commands, filled by layers.

Each layer folder may hold a ``layer.toml``. Layers customise one shared model in
order (lists are appended, tables merged key by key) and only the templates that
own a file (``pyproject.toml``, ``.gitignore``, ``.env.example``) write it out, as
Initializr's customizers fill a ``GitIgnore`` model that one contributor writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._cache import read_toml
from .errors import TemplateError

LAYER_FILE = "layer.toml"
_LAYER_KEYS = frozenset({"dependencies", "ignore", "env", "commands", "vars", "generate"})


@dataclass(slots=True)
class EnvVar:
    """One environment variable of the generated service.

    Attributes:
        name: The variable name, e.g. ``SECRET_KEY``.
        description: One line for ``.env.example``.
        example: The value written to ``.env.example`` (never a real secret).
        value: The value written to ``.env``; ignored when ``generate`` is set.
        generate: ``"token"`` to write a fresh random secret to ``.env``.
    """

    name: str
    description: str = ""
    example: str = ""
    value: str | None = None
    generate: str | None = None


@dataclass(slots=True)
class ProjectModel:
    """What the layers declare about a project, before any file is rendered."""

    dependencies: list[str] = field(default_factory=list)
    dev_dependencies: list[str] = field(default_factory=list)
    ignore: dict[str, list[str]] = field(default_factory=dict)
    env: dict[str, EnvVar] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
    vars: dict[str, Any] = field(default_factory=dict)
    #: Files made fresh for each project (keys), by path: the generator's name.
    generate: dict[str, str] = field(default_factory=dict)

    def customize(self, data: dict[str, Any], *, source: str) -> None:
        """Apply one layer's declarations: append lists, merge tables."""
        unknown = set(data) - _LAYER_KEYS
        if unknown:
            raise TemplateError(f"{source}: unknown table(s) {sorted(unknown)} in {LAYER_FILE}")
        deps = data.get("dependencies", {})
        _extend_unique(self.dependencies, deps.get("runtime", ()))
        _extend_unique(self.dev_dependencies, deps.get("dev", ()))
        for name, patterns in data.get("ignore", {}).items():
            _extend_unique(self.ignore.setdefault(name, []), patterns)
        for name, spec in data.get("env", {}).items():
            var = self.env.setdefault(name, EnvVar(name=name))
            for key, value in spec.items():
                if not hasattr(var, key) or key == "name":
                    raise TemplateError(f"{source}: unknown key {key!r} for env var {name}")
                setattr(var, key, value)
        self.commands.update(data.get("commands", {}))
        self.vars.update(data.get("vars", {}))
        self.generate.update(data.get("generate", {}))


def _extend_unique(target: list[str], items: Iterable[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def build_model(layers: Iterable[Path]) -> ProjectModel:
    """Fold the ``layer.toml`` of each layer folder, in order, into one model."""
    model = ProjectModel()
    for layer in layers:
        path = layer / LAYER_FILE
        if path.is_file():
            try:
                data = read_toml(path)
            except ValueError as exc:  # tomllib.TOMLDecodeError, or a file that is not UTF-8
                raise TemplateError(f"{path}: {exc}") from exc
            model.customize(data, source=str(path))
    return model
