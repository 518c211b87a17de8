"""The matrix of a layer pack: generate and verify every combination it offers, as CI does.

The toolkit's own cells are proven by ``tests/test_matrix.py``; a pack's author runs
``scaffold verify --matrix`` (or :func:`verify_matrix`) in the pack's CI, so that the
rule "only combinations proven in CI are offered" holds for packs too.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._catalog import Catalog, Combination, load_catalog
from .errors import ScaffoldError, UsageError

if TYPE_CHECKING:
    from ._verify import StepResult, VerifyReport

#: Jinja syntax that must not survive rendering (``{{ x }}``, ``{% if %}``, ``{#``).
# Jinja's syntax left in a file; GitHub Actions' own ``${{ ... }}`` is not a leftover.
TEMPLATE_SYNTAX = re.compile(r"(?<!\$)\{\{\s*[A-Za-z_][\w.]*\s*(\||\}\})|\{%-?\s*[a-z]+|\{#")
#: The project name every cell is generated under.
CELL_NAME = "matrix-check"


@dataclass(frozen=True)
class CellResult:
    """One combination, generated and verified.

    Attributes:
        cell: The combination.
        features: The features it was generated with.
        path: Where it was generated.
        report: The verification, unless generating failed.
        leftovers: Files with template syntax left in them.
        error: Why it could not be generated.
        seconds: The time generating and verifying took.
    """

    cell: Combination
    features: tuple[str, ...]
    path: Path
    report: VerifyReport | None = None
    leftovers: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Generated, clean of template syntax, and verified green."""
        return (
            self.error is None and not self.leftovers and self.report is not None and self.report.ok
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the cell's result as JSON-ready data."""
        return {
            "cell": str(self.cell),
            "features": list(self.features),
            "path": str(self.path),
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "error": self.error,
            "leftovers": list(self.leftovers),
            "verification": None if self.report is None else self.report.to_dict(),
        }


@dataclass(frozen=True)
class MatrixReport:
    """Every cell of a matrix run."""

    cells: tuple[CellResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """Whether there were cells and every one is green."""
        return bool(self.cells) and all(cell.ok for cell in self.cells)

    @property
    def seconds(self) -> float:
        """Total time of the cells."""
        return sum(cell.seconds for cell in self.cells)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (``scaffold verify --matrix --json``)."""
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "cells": [cell.to_dict() for cell in self.cells],
        }


def pack_combinations(catalog: Catalog, pack: str | None = None) -> list[Combination]:
    """Return the offered combinations a pack takes part in (every pack's when ``None``).

    A pack takes part in a combination when the kind, the framework or the database
    comes from it.
    """
    packs = [catalog.pack(pack)] if pack is not None else list(catalog.packs)
    roots = {source.root for source in packs}

    def from_packs(entry: Any) -> bool:
        return entry.source is not None and entry.source.root in roots

    return [
        cell
        for cell in catalog.combinations()
        if from_packs(catalog.kinds[cell.kind])
        or from_packs(catalog.frameworks[cell.framework])
        or from_packs(catalog.databases[cell.database])
    ]


def verify_matrix(
    catalog: Catalog | None = None,
    *,
    pack: str | None = None,
    cells: Iterable[str] = (),
    output_dir: str | os.PathLike[str] | None = None,
    on_cell: Callable[[CellResult], None] | None = None,
    on_step: Callable[[StepResult], None] | None = None,
) -> MatrixReport:
    """Generate and verify the combinations of layer packs, one project each.

    Each cell gets the default features and the pack's own features (so that they are
    proven too), is checked for template syntax left in its files, and is verified
    (install, lint, its own tests, migrations, the real server, the contract suite).

    Args:
        catalog: The catalog (the toolkit's own, with its packs, by default).
        pack: Only this pack's combinations; every pack's when ``None``.
        cells: Only these combinations (``kind/framework/database``), of any source.
        output_dir: Generate here (``<dir>/<kind>-<framework>-<database>/``) and keep
            the projects; a temporary folder, removed afterwards, by default.
        on_cell: Called with each cell as soon as it is done.
        on_step: Called with each verification step.

    Raises:
        UsageError: No pack and no cell to verify, or a cell that is not offered.
    """
    catalog = catalog or load_catalog()
    chosen = _chosen_cells(catalog, pack, list(cells))
    if output_dir is not None:
        return _run(catalog, chosen, Path(output_dir), on_cell, on_step)
    with tempfile.TemporaryDirectory(prefix="scaffold-matrix-") as scratch:
        return _run(catalog, chosen, Path(scratch), on_cell, on_step)


def _chosen_cells(catalog: Catalog, pack: str | None, cells: list[str]) -> list[Combination]:
    if cells:
        chosen = []
        for text in cells:
            parts = text.split("/")
            if len(parts) != 3:
                raise UsageError(f"a cell is KIND/FRAMEWORK/DATABASE, not {text!r}")
            spec = catalog.resolve(parts[0], CELL_NAME, framework=parts[1], database=parts[2])
            chosen.append(Combination(spec.kind, spec.framework, spec.database))
        return chosen
    if pack is None and not catalog.packs:
        raise UsageError(
            "no layer pack to verify: install one, name its folder with --templates, or "
            "choose cells with --cell KIND/FRAMEWORK/DATABASE"
        )
    found = pack_combinations(catalog, pack)
    if not found:
        which = f"the pack {pack!r}" if pack else "the layer packs"
        raise UsageError(f"{which} offer no combination of their own to verify")
    return found


def _run(
    catalog: Catalog,
    cells: list[Combination],
    folder: Path,
    on_cell: Callable[[CellResult], None] | None,
    on_step: Callable[[StepResult], None] | None,
) -> MatrixReport:
    results = []
    for cell in cells:
        result = _verify_cell(catalog, cell, folder, on_step)
        results.append(result)
        if on_cell is not None:
            on_cell(result)
    return MatrixReport(tuple(results))


def _verify_cell(
    catalog: Catalog,
    cell: Combination,
    folder: Path,
    on_step: Callable[[StepResult], None] | None,
) -> CellResult:
    from ._generate import generate
    from ._verify import verify

    started = time.perf_counter()
    # The features of the packs the cell comes from, so that they are proven too.
    parts = (catalog.kinds[cell.kind], catalog.frameworks[cell.framework])
    sources = [*(e.source for e in parts), catalog.databases[cell.database].source]
    packs = {s.root for s in sources if s is not None and not s.builtin}
    own = [
        f.id for f in catalog.features.values() if f.source is not None and f.source.root in packs
    ]
    features = sorted(catalog.default_features() | set(own))
    path = folder / f"{cell.kind}-{cell.framework}-{cell.database}" / CELL_NAME
    try:
        spec = catalog.resolve(
            cell.kind, CELL_NAME, framework=cell.framework, database=cell.database,
            features=features,
        )  # fmt: skip
        result = generate(spec, path, catalog=catalog)
    except ScaffoldError as exc:
        return CellResult(
            cell, tuple(features), path, error=str(exc), seconds=time.perf_counter() - started
        )
    leftovers = tuple(
        relative
        for relative in result.files
        if TEMPLATE_SYNTAX.search((result.path / relative).read_text(errors="replace"))
    )
    report = verify(result.path, catalog=catalog, on_step=on_step)
    return CellResult(
        cell,
        tuple(features),
        result.path,
        report,
        leftovers,
        seconds=time.perf_counter() - started,
    )


__all__ = ["CellResult", "MatrixReport", "pack_combinations", "verify_matrix"]
