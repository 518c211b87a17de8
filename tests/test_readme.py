"""The README tells the truth about what scaffold offers: its `scaffold list` block is real."""

import re
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
