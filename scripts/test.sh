#!/usr/bin/env bash
# Run the toolkit's whole test suite from a fresh clone:
#   bash scripts/test.sh            (extra arguments go to pytest, e.g. -m "not slow")
# It creates .venv when missing, installs the toolkit with its test extras, then runs
# ruff, mypy (strict) and pytest, the matrix of every offered combination included.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest "$@"
