"""The README tells the truth: its `scaffold list` block is real, its first command works."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_shows_what_scaffold_list_prints() -> None:
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 0, result.output
    block = re.search(r"```text\n\$ scaffold list\n(.*?)```", README.read_text(), re.S)
    assert block is not None, "README.md has no ```text $ scaffold list block"
    assert block.group(1).rstrip() == result.output.rstrip()


def first_command() -> list[list[str]]:
    """The README's first command (generate and verify), split at its `&&`."""
    section = README.read_text().split("## On a fresh machine", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None, "no ```bash block under 'On a fresh machine'"
    return [shlex.split(part) for part in block.group(1).strip().split(" && ")]


def test_the_first_command_makes_a_project_with_its_first_commit(tmp_path: Path) -> None:
    """Run from a clone of the toolkit (a Git repository), as a newcomer does.

    Its `scaffold new` gives a project with a repository and a first commit, leaves
    the clone clean, and its `scaffold verify` names that project.
    """
    clone = tmp_path / "clone"
    clone.mkdir()
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    parts = first_command()
    new = next(p for p in parts if p[0].endswith("scaffold") and p[1] == "new")
    check = next(p for p in parts if p[0].endswith("scaffold") and p[1] == "verify")
    made = subprocess.run(
        [sys.executable, "-m", "toolkit", *new[1:]],
        cwd=clone,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    project = (clone / check[2]).resolve()
    assert (project / ".scaffold.json").is_file(), made.stdout
    assert f" files in {project}, commit " in made.stdout  # its plain path, no ".."
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=project, capture_output=True, text=True, check=True
    )
    assert log.stdout.startswith("Initial commit from scaffold"), made.stdout
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""
