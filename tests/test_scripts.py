"""scripts/test.sh: the toolkit's test command installs only when it has to."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fake_tool(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/usr/bin/env bash\n{body}\n")
    path.chmod(0o755)


def test_the_install_is_skipped_until_pyproject_changes(tmp_path: Path) -> None:
    """A fast run must not spend half a minute reinstalling what is installed (editable)."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / ".venv" / "bin"
    fake_tool(
        bin_dir / "python",
        f'if [ "$1" = --version ]; then echo "Python 3.11.9"; else echo "$*" >> {log}; fi',
    )
    for name in ("ruff", "mypy", "pytest"):
        fake_tool(bin_dir / name, "true")

    def run(**env: str) -> int:
        subprocess.run(
            ["bash", "scripts/test.sh", "-m", "not slow"],
            cwd=tmp_path,
            # .ci/run sets SCAFFOLD_REINSTALL=1 for the whole suite: not for these runs.
            env={**{k: v for k, v in os.environ.items() if k != "SCAFFOLD_REINSTALL"}, **env},
            check=True,
        )
        return log.read_text().count("pip install") if log.exists() else 0

    assert run() == 1  # no record of an install: install
    assert run() == 1  # nothing changed: no install
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    assert run() == 2  # the dependencies may have changed
    assert run() == 2
    assert run(SCAFFOLD_REINSTALL="1") == 3  # what .ci/run asks for
    assert "SCAFFOLD_REINSTALL=1 bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
