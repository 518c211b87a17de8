"""``scaffold new`` for a cookiecutter template: a thin Click layer over generate_from_template."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ._cli_lifecycle import parse_answers


def new_from_template(
    source: str,
    name: str | None,
    *,
    output_dir: Path,
    kind_options: list[str],
    checkout: str | None,
    answers: tuple[str, ...],
    interactive: bool,
    trust: bool,
    git: bool,
    force: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Generate a project from the cookiecutter template ``source`` and say what was done."""
    from ._cookiecutter import generate_from_template

    if kind_options:
        raise click.UsageError(
            f"{', '.join(kind_options)}: for scaffold's kinds; a cookiecutter template asks its "
            "own questions (answer them with --answer KEY=VALUE)"
        )
    result = generate_from_template(
        source,
        output_dir,
        name,
        checkout=checkout,
        answers=parse_answers(answers),
        no_input=not interactive,
        trust=trust,
        force=force,
        git=git,
        dry_run=dry_run,
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    where = result.source.describe(result.commit)
    if result.dry_run:
        for relative in result.files:
            click.echo(f"  {relative}")
        note = f", replacing {len(result.replaced)}" if result.replaced else ""
        click.echo(
            f"\n{len(result.files)} files would be written to {result.path}{note} (dry run)."
        )
        return
    with_git = f", commit {result.commit_id[:7]} on main" if result.commit_id else ""
    click.echo(
        f"Created {result.path.name} from the cookiecutter template {where}: "
        f"{len(result.files)} files in {result.path}{with_git}"
    )
    if result.replaced:
        click.echo(f"Replaced {len(result.replaced)} existing file(s); other files were kept.")
    if result.git_note:
        click.echo(f"Git: {result.git_note}")
    for note in result.notes:
        click.echo(f"Note: {note}")
    try:
        shown = result.path.relative_to(Path.cwd())
    except (ValueError, OSError):
        shown = result.path
    click.echo("\nNext:")
    click.echo(f"  cd {shown}")
    click.echo("  scaffold check .      later: scaffold update . brings the template's changes")
