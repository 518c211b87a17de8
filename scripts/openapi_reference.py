"""Refresh a kind's reference OpenAPI document from a running service, and show what changed.

The reference (``toolkit/contracts/<kind>/openapi.json``) is what every framework's
served document must equal after normalisation (``toolkit/_openapi.py``); the contract
suite checks it in every matrix cell. Refresh it when the API changes on purpose, from
any framework (they agree), then read the diff: the reference is reviewed, not trusted.

    .venv/bin/python scripts/openapi_reference.py task-api http://127.0.0.1:8000
    .venv/bin/python scripts/openapi_reference.py task-api http://127.0.0.1:8000 --check
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

from toolkit._openapi import differences, dumps, normalise, reference_path


def main(argv: list[str] | None = None) -> int:
    """Fetch, normalise, compare and (unless --check) write the reference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", help="the kind, e.g. task-api")
    parser.add_argument("url", help="where the service answers, e.g. http://127.0.0.1:8000")
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    options = parser.parse_args(argv)
    with urllib.request.urlopen(f"{options.url.rstrip('/')}/openapi.json", timeout=30) as answer:
        served = normalise(json.load(answer))
    path: Path = reference_path(options.kind)
    current = json.loads(path.read_text()) if path.is_file() else {}
    found = differences(current, served, limit=200)
    print("\n".join(found) if found else f"{path} is up to date")
    if options.check:
        return 1 if found else 0
    if not path.is_file() or path.read_text() != dumps(served):
        path.write_text(dumps(served))
        print(f"wrote {path}: review the diff (git diff) before committing it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
