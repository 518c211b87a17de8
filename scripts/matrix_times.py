"""Where the matrix's time went: the step times tests/test_matrix.py recorded.

    python scripts/matrix_times.py [.bench/matrix-steps.jsonl]

Prints the seconds of each verify step summed over the cells, the slowest cells, and
the totals per framework and per database (wall time of the steps, not of the cell's
generation and pre-commit run).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / ".bench" / "matrix-steps.jsonl"


def largest(totals: dict[str, float]) -> str:
    """``name seconds`` pairs, the largest first."""
    return ", ".join(
        f"{name} {seconds:.0f}" for name, seconds in sorted(totals.items(), key=lambda i: -i[1])
    )


def main(argv: list[str]) -> int:
    """Print the summary of the step times file (argv[0], else .bench/matrix-steps.jsonl)."""
    path = Path(argv[0]) if argv else DEFAULT
    if not path.is_file():
        print(f"no step times at {path}")
        return 0
    cells = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    by_step: dict[str, float] = defaultdict(float)
    by_part: dict[str, float] = defaultdict(float)
    totals = []
    for cell in cells:
        total = sum(cell["steps"].values())
        totals.append((total, cell["cell"]))
        for step, seconds in cell["steps"].items():
            by_step[step] += seconds
        kind, framework, database = cell["cell"].split("/")
        for part in (framework, database, kind):
            by_part[part] += total
    print(f"{len(cells)} cells, {sum(t for t, _ in totals):.0f} s of verify steps")
    print(f"by step:  {largest(by_step)}")
    print(f"by part:  {largest(by_part)}")
    print("slowest:  " + ", ".join(f"{c} {t:.0f}" for t, c in sorted(totals, reverse=True)[:8]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
