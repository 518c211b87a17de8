"""The lifecycle commands (check, diff, update, add, remove): thin Click wrappers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ._lifecycle import UpdateResult
    from ._verify import StepResult

_PATH = click.Path(exists=True, file_okay=False, path_type=Path)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2))


def _update_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that writes shares."""
    for option in reversed(
        [
            click.option(
                "--conflicts",
                type=click.Choice(["abort", "markers"]),
                default="abort",
                show_default=True,
                help="On conflicts: write nothing, or write git's conflict markers.",
            ),
            click.option(
                "--allow-dirty",
                is_flag=True,
                help="Update a tree with uncommitted changes (stage it; commit nothing).",
            ),
            click.option(
                "--verify",
                "run_verify",
                is_flag=True,
                help="Run scaffold verify on the result before committing it.",
            ),
            click.option(
                "--json", "as_json", is_flag=True, help="Print a machine-readable result."
            ),
        ]
    ):
        command = option(command)
    return command


def _template_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a project made from a cookiecutter template (its version, answers)."""
    for option in reversed(
        [
            click.option(
                "--checkout",
                metavar="REF",
                help="Cookiecutter template: the branch, tag or commit to update to.",
            ),
            click.option(
                "--answer",
                "answers",
                multiple=True,
                metavar="KEY=VALUE",
                help="Cookiecutter template: change an answer (repeat it).",
            ),
            click.option(
                "--trust", is_flag=True, help="Cookiecutter template: run its hooks again."
            ),
        ]
    ):
        command = option(command)
    return command


def parse_answers(pairs: tuple[str, ...]) -> dict[str, str]:
    """Turn ``--answer KEY=VALUE`` options into a mapping (a bad one is a usage error)."""
    answers: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--answer")
        answers[key.strip()] = value
    return answers


@click.command()
@click.argument("path", type=_PATH, default=".")
@click.option(
    "--checkout", metavar="REF", help="Cookiecutter template: compare with this branch or tag."
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
def check(path: Path, checkout: str | None, as_json: bool) -> int:
    """Tell whether the project at PATH is up to date with this scaffold (or its template).

    Exits 0 when it is, 1 when an update exists or conflict markers remain.
    """
    from ._lifecycle import check as run_check

    result = run_check(path, checkout=checkout)
    if as_json:
        _print_json(result.to_dict())
    else:
        click.echo(f"{result.name}: {result.reason}")
        for relative in result.markers:
            click.echo(f"  conflict markers in {relative}")
        if not result.up_to_date and not result.markers and not result.interrupted:
            click.echo("  scaffold diff shows the changes; scaffold update applies them")
    return result.exit_code


@click.command()
@click.argument("path", type=_PATH, default=".")
@click.option("-d", "--database", help="Show the change to this database.")
@_template_options
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
def diff(
    path: Path,
    database: str | None,
    checkout: str | None,
    answers: tuple[str, ...],
    trust: bool,
    as_json: bool,
) -> int:
    """Show what scaffold update would change in PATH, as a unified diff; write nothing.

    Exits 1 when the update would conflict.
    """
    from ._lifecycle import diff as run_diff

    result = run_diff(
        path, database=database, checkout=checkout, answers=parse_answers(answers), trust=trust
    )
    if as_json:
        data = result.to_dict()
        data["patch"] = result.patch
        _print_json(data)
        return result.exit_code
    click.echo(result.patch, nl=False)
    _summary(result, pretend=True, err=True)
    return result.exit_code


@click.command()
@click.argument("path", type=_PATH, default=".")
@click.option("-d", "--database", help="Change the database (one offered for the project).")
@click.option(
    "-f", "--framework", help="Refused unless it is the project's own (it is the code base)."
)
@_template_options
@_update_options
def update(
    path: Path,
    database: str | None,
    framework: str | None,
    checkout: str | None,
    answers: tuple[str, ...],
    trust: bool,
    conflicts: str,
    allow_dirty: bool,
    run_verify: bool,
    as_json: bool,
) -> int:
    """Bring the project at PATH to this scaffold's templates (a three-way merge).

    Your changes are kept, the template's are applied, and a clash of both is a
    conflict: by default nothing is written and the conflicts are listed (exit 1).
    With git, one commit "Update from scaffold X to Y". A project made from a
    cookiecutter template is brought to the template's newest commit (or --checkout).
    """
    from ._lifecycle import update as run_update

    result = run_update(
        path,
        database=database,
        framework=framework,
        checkout=checkout,
        answers=parse_answers(answers),
        trust=trust,
        conflicts="markers" if conflicts == "markers" else "abort",
        allow_dirty=allow_dirty,
        verify=run_verify,
        on_step=None if as_json else show_step,
    )
    return _report(result, as_json)


@click.group()
def add() -> None:
    """Add something to a generated project (a feature)."""


@add.command(name="feature")
@click.argument("feature")
@click.argument("path", type=_PATH, default=".")
@_update_options
def add_feature(
    feature: str, path: Path, conflicts: str, allow_dirty: bool, run_verify: bool, as_json: bool
) -> int:
    """Add FEATURE (docker, ci) to the project at PATH, merged like an update."""
    from ._lifecycle import add_feature as run_add

    return _change_feature(run_add, feature, path, conflicts, allow_dirty, run_verify, as_json)


@click.group()
def remove() -> None:
    """Remove something from a generated project (a feature)."""


@remove.command(name="feature")
@click.argument("feature")
@click.argument("path", type=_PATH, default=".")
@_update_options
def remove_feature(
    feature: str, path: Path, conflicts: str, allow_dirty: bool, run_verify: bool, as_json: bool
) -> int:
    """Remove FEATURE from the project at PATH; files you changed are conflicts, never lost."""
    from ._lifecycle import remove_feature as run_remove

    return _change_feature(run_remove, feature, path, conflicts, allow_dirty, run_verify, as_json)


def _change_feature(
    run: Callable[..., UpdateResult],
    feature: str,
    path: Path,
    conflicts: str,
    allow_dirty: bool,
    run_verify: bool,
    as_json: bool,
) -> int:
    """Add or remove ``feature`` with ``run``, as the options say, and report the result."""
    result = run(
        path,
        feature,
        conflicts="markers" if conflicts == "markers" else "abort",
        allow_dirty=allow_dirty,
        verify=run_verify,
        on_step=None if as_json else show_step,
    )
    return _report(result, as_json)


COMMANDS = (check, diff, update, add, remove)


def show_step(step: StepResult) -> None:
    """Print one step of a verification: a line, then why it failed, or its short note."""
    mark = "ok  " if step.ok else "FAIL"
    click.echo(f"  {mark} {step.name:<16}{step.seconds:7.1f} s  {step.command or ''}")
    if not step.ok and step.detail:
        click.echo("\n".join(f"       | {line}" for line in step.detail.splitlines()))
    elif step.detail:
        click.echo(f"       {step.detail}")


def _report(result: UpdateResult, as_json: bool) -> int:
    if as_json:
        _print_json(result.to_dict())
    else:
        _summary(result, pretend=False, err=False)
    return result.exit_code


def _summary(result: UpdateResult, *, pretend: bool, err: bool) -> None:
    """Say what the update did (or would do): files, conflicts with their hunks, .env, notes."""

    def say(line: str = "") -> None:
        click.echo(line, err=err)

    name = result.name
    if result.up_to_date and not result.conflicts:
        say(f"{name}: nothing to change; up to date with scaffold {result.version}")
        for note in result.notes:
            if not note.startswith("already up to date"):
                say(f"Note: {note}")
        return
    merged = sum(1 for c in result.changes if c.merged)
    count = f"{len(result.changes)} file(s)" + (
        f", {merged} merged with your changes" if merged else ""
    )
    if result.conflicts and not result.written:
        say(f"{name}: {result.message}: {len(result.conflicts)} file(s) conflict; nothing written")
    elif result.written and result.commit:
        say(f"{name}: {result.message}: {count}, commit {result.commit[:7]}")
    elif result.written:
        say(f"{name}: {result.message}: {count} written, not committed")
    elif result.verification is not None and not result.verification.ok:
        say(f"{name}: {result.message}: verification failed; the project was restored")
    else:
        verb = "would change" if pretend else "changes"
        say(f"{name}: {result.message}: {verb} {count}")
    if not result.conflicts or result.written:
        for change in result.changes:
            mark = {"added": "A", "deleted": "D", "mode": "X"}.get(change.action, "M")
            say(
                f"  {mark} {change.path}"
                + ("  (merged with your changes)" if change.merged else "")
            )
    for conflict in result.conflicts:
        say(f"CONFLICT ({conflict.kind}) {conflict.message}")
        for hunk in conflict.hunks:
            say(f"  at line {hunk.line}:")
            say("  <<<<<<< yours")
            for line in hunk.ours.splitlines():
                say(f"  {line}")
            say("  =======")
            for line in hunk.theirs.splitlines():
                say(f"  {line}")
            say(f"  >>>>>>> {result.label}")
    if result.conflicts and not result.written and not pretend:
        say(
            "To resolve them, run again with --conflicts=markers: the markers are written "
            "into these files for you to edit (then git add and git commit, with git)."
        )
    elif result.conflicts and result.written:
        files = ", ".join(c.path for c in result.conflicts)
        say(f"Conflict markers written to {files}; scaffold check fails until they are resolved.")
    verb = "would add" if pretend else "added"
    for variable in result.env_added:
        say(f".env: {verb} {variable} (a new setting; secrets are fresh)")
    for variable in result.env_updated:
        say(f".env: {variable} set to the new default (it held the old default)")
    for relative in result.generated:
        say(f"{relative}: {'would be made' if pretend else 'made'} (the new version needs it)")
    if result.verification is not None:
        verdict = "passed" if result.verification.ok else "FAILED"
        say(f"Verification {verdict} in {result.verification.seconds:.1f} s")
    if result.base:
        say(f"Base: {result.base}")
    for note in result.notes:
        say(f"Note: {note}")
