#!/usr/bin/env bash
# Run the toolkit's whole test suite from a fresh clone:
#   bash scripts/test.sh            (extra arguments go to pytest, e.g. -m "not slow")
# It creates .venv when missing, installs the toolkit with its test extras, then runs
# ruff, mypy (strict) and pytest, the matrix of every offered combination included.
# The install is editable, so it is done again only when pyproject.toml changed (or
# with SCAFFOLD_REINSTALL=1, as CI does): a run of the fast tests then skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
stamp=.venv/.scaffold-installed
wanted="$(.venv/bin/python --version) $(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "${SCAFFOLD_REINSTALL:-}" = 1 ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
    echo "$wanted" > "$stamp"
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest "$@"
