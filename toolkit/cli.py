"""The ``scaffold`` command: a thin Click layer over the library API in :mod:`toolkit`.

Only Click and the toolkit's light modules are imported at start-up; Jinja2,
GitPython and the verification machinery load inside the commands that use them,
so ``scaffold --help`` stays fast.
"""

from __future__ import annotations

import gc
import json
import os
import shlex
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ._version import __version__
from .errors import ScaffoldError

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from ._catalog import Catalog, Feature
    from ._verify import StepResult

EXIT_INTERRUPTED = 130


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class _ScaffoldGroup(click.Group):
    """A group whose errors are one line on stderr with Click's exit codes (2 = bad input)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except ScaffoldError as exc:
            _fail(str(exc), exc.exit_code)
        except click.exceptions.Abort:
            _fail("aborted", EXIT_INTERRUPTED)
        except click.ClickException as exc:
            _fail(exc.format_message().replace("\n", " "), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted; nothing was left behind", EXIT_INTERRUPTED)
        sys.exit(result if isinstance(result, int) else 0)


def _interactive() -> bool:
    """Prompt only when a person can answer."""
    return sys.stdin.isatty()


def _catalog() -> Catalog:
    from ._catalog import load_catalog

    return load_catalog()


def _completions(names: list[tuple[str, str | None]], incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem  # only completion needs it

    return [CompletionItem(n, help=h) for n, h in names if n.startswith(incomplete)]


def _complete_kind(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    return _completions([(k.id, k.title) for k in _catalog().kinds.values()], incomplete)


def _complete_framework(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    return _completions([(f.id, f.label) for f in _catalog().frameworks.values()], incomplete)


def _complete_database(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    return _completions([(d.id, d.label) for d in _catalog().databases.values()], incomplete)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2))


@click.group(cls=_ScaffoldGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="scaffold")
@click.option(
    "--templates",
    "template_folders",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Add a layer pack from this folder (repeat it); as SCAFFOLD_TEMPLATES does.",
)
@click.pass_context
def cli(ctx: click.Context, template_folders: tuple[Path, ...]) -> None:
    """Generate ready-to-run backend repositories, and prove that they work.

    \b
      scaffold list                          what can be generated
      scaffold new task-api my-tasks         generate (FastAPI on SQLite by default)
      scaffold verify my-tasks               install, lint, test, serve, contract-test
      scaffold update my-tasks               bring it to this scaffold, keeping your changes
      scaffold new gh:org/template           a cookiecutter template, with updates too
    """  # noqa: D301 (Click needs a real \b to keep the lines as they are)
    if template_folders:
        _use_template_folders(ctx, template_folders)


def _use_template_folders(ctx: click.Context, folders: tuple[Path, ...]) -> None:
    """Add packs for this command through the environment, which its subprocesses inherit too.

    The contract suites run in a process of their own and read the catalog again.
    """
    import os

    from ._packs import TEMPLATES_ENV

    before = os.environ.get(TEMPLATES_ENV)
    entries = [before] if before else []
    entries += [os.path.abspath(folder) for folder in folders]
    os.environ[TEMPLATES_ENV] = os.pathsep.join(entries)

    def restore() -> None:
        if before is None:
            os.environ.pop(TEMPLATES_ENV, None)
        else:
            os.environ[TEMPLATES_ENV] = before

    ctx.call_on_close(restore)


@cli.command()
@click.argument("kind", shell_complete=_complete_kind)
@click.argument("name", required=False)
@click.option("-f", "--framework", shell_complete=_complete_framework, help="Default: fastapi.")
@click.option("-d", "--database", shell_complete=_complete_database, help="Default: sqlite.")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder in which the project folder NAME is created.",
)
@click.option(
    "--feature", "features", multiple=True, help="Use exactly these features (repeat it)."
)
@click.option("--without", multiple=True, help="Leave out a default feature (docker, ci).")
@click.option(
    "--database-url",
    metavar="URL",
    help="DATABASE_URL for .env: an existing server's database instead of compose's.",
)
@click.option("--no-input", is_flag=True, help="Never prompt; take defaults.")
@click.option("--no-git", is_flag=True, help="Do not create a Git repository.")
@click.option("--force", is_flag=True, help="Write into a non-empty folder (keeps other files).")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
@click.option("--checkout", metavar="REF", help="Cookiecutter template: a branch, tag or commit.")
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="KEY=VALUE",
    help="Cookiecutter template: answer a question (repeat it).",
)
@click.option("--trust", is_flag=True, help="Cookiecutter template: run its hooks.")
def new(
    kind: str,
    name: str | None,
    framework: str | None,
    database: str | None,
    output_dir: Path,
    features: tuple[str, ...],
    without: tuple[str, ...],
    database_url: str | None,
    no_input: bool,
    no_git: bool,
    force: bool,
    dry_run: bool,
    as_json: bool,
    checkout: str | None,
    answers: tuple[str, ...],
    trust: bool,
) -> None:
    """Generate a project of KIND into OUTPUT_DIR/NAME (NAME defaults to KIND).

    Missing options are asked for when run in a terminal; --no-input takes the
    defaults (FastAPI, SQLite, every default feature).

    KIND may instead be a cookiecutter template: a folder, a .zip, or a git URL
    (gh:org/repo too) at --checkout REF; NAME is then the project's folder.
    """
    template = _names_a_template(kind)
    catalog = None
    if not template:
        catalog = _catalog()
        template = kind not in catalog.kinds and (Path(kind) / "cookiecutter.json").is_file()
    if template:
        from ._cli_templates import new_from_template

        given = [("--framework", framework), ("--database", database)]
        given += [("--database-url", database_url)]
        given += [("--feature", ",".join(features)), ("--without", ",".join(without))]
        new_from_template(
            kind,
            name,
            output_dir=output_dir,
            kind_options=[option for option, value in given if value],
            checkout=checkout,
            answers=answers,
            interactive=not no_input and not as_json and _interactive(),
            trust=trust,
            git=not no_git,
            force=force,
            dry_run=dry_run,
            as_json=as_json,
        )
        return
    if checkout or answers or trust:
        raise click.UsageError(
            "--checkout, --answer and --trust are for cookiecutter templates; "
            f"{kind!r} is one of scaffold's kinds"
        )
    assert catalog is not None
    found = catalog.kind(kind)
    if not no_input and not as_json and _interactive():
        if name is None:
            name = click.prompt("Project name", default=found.id)
        if framework is None:
            framework = click.prompt(
                "Framework",
                type=click.Choice(list(found.offered)),
                default=next(iter(found.offered)),
            )
        if database is None and framework in found.offered:
            offered = list(found.offered[framework])
            database = click.prompt("Database", type=click.Choice(offered), default=offered[0])
    spec = catalog.resolve(
        kind,
        name,
        framework=framework,
        database=database,
        features=features or None,
        without=without,
    )
    dest = output_dir / spec.name
    if dry_run:
        _dry_run(spec, dest, catalog, as_json=as_json, force=force, database_url=database_url)
        return
    from ._generate import generate

    result = generate(
        spec, dest, force=force, git=not no_git, catalog=catalog, database_url=database_url
    )
    if as_json:
        _print_json(result.to_dict())
        return
    where = result.path
    with_git = f", commit {result.commit[:7]} on main" if result.commit else ""
    click.echo(
        f"Created {spec.name} ({spec.label}): {len(result.files)} files in {where}{with_git}"
    )
    if result.replaced:
        click.echo(f"Replaced {len(result.replaced)} existing file(s); other files were kept.")
    if result.git_note:
        click.echo(f"Git: {result.git_note}")
    click.echo("\nNext:")
    for line in _next_steps(where, result.commands):
        click.echo(f"  {line}")


def _next_steps(project: Path, commands: Mapping[str, str]) -> list[str]:
    """The commands printed after ``new``, each one working when pasted into a fresh shell.

    The project's setup uses uv only where the shell finds it (pip otherwise), and
    ``scaffold`` is spelled as the shell can find the one that runs.
    """
    try:
        shown = project.relative_to(Path.cwd())
    except (ValueError, OSError):  # elsewhere, or the current folder was deleted
        shown = project
    setup = commands.get("setup", "")
    if shutil.which("uv") is None:
        setup = commands.get("setup_pip", setup)
    lines = [
        f"cd {shlex.quote(str(shown))}",
        setup,
        # How to run the tests from a fresh shell (the environment not activated).
        commands.get("test_hint", commands.get("test", "")),
        f"{_scaffold_command()} verify .",
    ]
    return [line for line in lines if line]


def _scaffold_command() -> str:
    """How a shell in any folder runs the scaffold that runs now.

    ``scaffold`` when the shell finds this very one by that name; else the console
    script's absolute path (a virtual environment that is not activated); else this
    Python with ``-m toolkit``.
    """
    program = Path(sys.argv[0])
    if program.name != "scaffold" or not program.is_file():
        return f"{shlex.quote(sys.executable)} -m toolkit"
    on_path = shutil.which("scaffold")
    if on_path is not None and os.path.samefile(on_path, program):
        return "scaffold"
    return shlex.quote(str(program.absolute()))


def _names_a_template(text: str) -> bool:
    """Whether ``new``'s argument is a template source, not a kind id (no kind looks so).

    A path (a separator), a ``.zip``, a URL or ``gh:``-style abbreviation (a colon);
    a bare folder name with a ``cookiecutter.json`` is one too, unless a kind has its name.
    """
    return "/" in text or "\\" in text or ":" in text or text.endswith(".zip") or text == "."


def _dry_run(
    spec: Any,
    dest: Path,
    catalog: Catalog,
    *,
    as_json: bool,
    force: bool,
    database_url: str | None,
) -> None:
    from ._render import render
    from ._write import check_destination

    project = render(spec, catalog=catalog, database_url=database_url)
    replaced = check_destination(dest.absolute(), project.files, force=force)
    if as_json:
        _print_json(
            {
                "dry_run": True,
                "spec": spec.to_dict(),
                "path": str(dest.absolute()),
                "files": project.paths(),
                "would_replace": [str(p) for p in replaced],
            }
        )
        return
    click.echo(project.tree())
    note = f", replacing {len(replaced)}" if replaced else ""
    click.echo(f"\n{len(project.files)} files would be written to {dest}{note} (dry run).")


def _feature_notes(feature: Feature) -> str:
    """`` (default)`` or `` (needs docker; not on sqlite)``: what ``list`` and ``info`` add."""
    notes = "; ".join(
        part for part in ("default" if feature.default else "", feature.notes()) if part
    )
    return f" ({notes})" if notes else ""


@cli.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable catalog.")
def list_(as_json: bool) -> None:
    """List kinds, frameworks, databases, features and the offered combinations."""
    catalog = _catalog()
    if as_json:
        _print_json(
            {
                "kinds": {
                    k.id: {"title": k.title, "summary": k.summary, "source": _source_name(k)}
                    for k in catalog.kinds.values()
                },
                "frameworks": {
                    f.id: {"label": f.label, "summary": f.summary, "source": _source_name(f)}
                    for f in catalog.frameworks.values()
                },
                "databases": {
                    d.id: {"label": d.label, "summary": d.summary, "source": _source_name(d)}
                    for d in catalog.databases.values()
                },
                "features": {
                    f.id: {**f.to_dict(), "source": _source_name(f)}
                    for f in catalog.features.values()
                },
                "offered": [
                    {"kind": c.kind, "framework": c.framework, "database": c.database}
                    for c in catalog.combinations()
                ],
                "sources": [source.to_dict() for source in catalog.sources],
            }
        )
        return
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        (
            "Kinds",
            [(k.id, f"{k.title}: {k.summary}{_from_pack(k)}") for k in catalog.kinds.values()],
        ),
        (
            "Frameworks",
            [(f.id, f"{f.label}: {f.summary}{_from_pack(f)}") for f in catalog.frameworks.values()],
        ),
        (
            "Databases",
            [(d.id, f"{d.label}: {d.summary}{_from_pack(d)}") for d in catalog.databases.values()],
        ),
        (
            "Features",
            [
                (f.id, f"{f.label}: {f.summary}" + _feature_notes(f) + _from_pack(f))
                for f in catalog.features.values()
            ],
        ),
    ]
    if catalog.packs:
        sections.append(("Layer packs", [(p.name, _pack_line(p)) for p in catalog.packs]))
    width = max(len(key) for _, rows in sections for key, _ in rows) + 2
    for title, rows in sections:
        click.echo(f"{title}:")
        for key, text in rows:
            click.echo(f"  {key:<{width}}{text}")
        click.echo()
    databases = list(catalog.databases)
    click.echo("Offered combinations (x: generated, installed, tested and contract-tested in CI):")
    click.echo(
        f"  {'kind':<14}{'framework':<12}" + "".join(f"{db:<10}" for db in databases).rstrip()
    )
    for kind in catalog.kinds.values():
        for framework in catalog.frameworks:
            offered = kind.offered.get(framework, ())
            marks = "".join(f"{'x' if db in offered else '-':<10}" for db in databases)
            click.echo(f"  {kind.id:<14}{framework:<12}{marks}".rstrip())


def _source_name(entry: Any) -> str:
    """The name of the source an entry comes from (``scaffold`` for the toolkit's own)."""
    from ._catalog import BUILTIN

    return BUILTIN if entry.source is None else str(entry.source.name)


def _from_pack(entry: Any) -> str:
    """`` [pack x]`` after an entry that a layer pack adds; nothing for the toolkit's own."""
    source = entry.source
    return "" if source is None or source.builtin else f" [pack {source.name}]"


def _pack_line(source: Any) -> str:
    version = f"{source.version}, " if source.version else ""
    return f"{version}{source.origin}: {source.root}"


@cli.command()
@click.argument("kind", shell_complete=_complete_kind)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable details.")
def info(kind: str, as_json: bool) -> None:
    """Show what a KIND contains: resources, rules, endpoints, options."""
    catalog = _catalog()
    found = catalog.kind(kind)
    if as_json:
        data = found.to_dict()
        data["features"] = sorted(catalog.features)
        data["source"] = _source_name(found)
        _print_json(data)
        return
    click.echo(f"{found.id}: {found.title}\n  {found.summary}\n")
    if found.source is not None and not found.source.builtin:
        click.echo(f"From {found.source.describe()}\n")
    for resource in found.resources:
        click.echo(f"{resource.name}: {resource.fields}")
        for rule in resource.rules:
            click.echo(f"  - {rule}")
        click.echo()
    click.echo("Endpoints:")
    width = max(len(endpoint.path) for endpoint in found.endpoints) + 2
    for endpoint in found.endpoints:
        click.echo(
            f"  {endpoint.method:<7}{endpoint.path:<{width}}{endpoint.auth:<8}{endpoint.summary}"
        )
    click.echo("\nOffered:")
    for framework, databases in found.offered.items():
        click.echo(f"  --framework {framework:<10} --database {' | '.join(databases)}")
    click.echo("  features:")
    width = max(len(f.id) for f in catalog.features.values()) + 2
    for feature in catalog.features.values():
        click.echo(f"    {feature.id:<{width}}{feature.label}{_feature_notes(feature)}")


@cli.command()
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@click.option(
    "--matrix",
    is_flag=True,
    help="Generate and verify every combination of the layer packs instead (their CI).",
)
@click.option("--pack", help="With --matrix: only this pack's combinations.")
@click.option(
    "--cell",
    "cells",
    multiple=True,
    help="With --matrix: only KIND/FRAMEWORK/DATABASE (repeat it).",
)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --matrix: generate here and keep the projects (default: a temporary folder).",
)
def verify(
    path: Path | None,
    as_json: bool,
    matrix: bool,
    pack: str | None,
    cells: tuple[str, ...],
    output_dir: Path | None,
) -> int:
    """Install, lint, test, serve and contract-test the project at PATH (default: here).

    With --matrix, do it for every combination a layer pack offers, each generated
    afresh, as the toolkit's CI does for its own. Exits 1 when any step fails.
    """
    if matrix:
        if path is not None:
            raise click.UsageError("--matrix generates its own projects; give no PATH")
        return _verify_matrix(pack, cells, output_dir, as_json)
    if pack or cells or output_dir:
        raise click.UsageError("--pack, --cell and --output-dir go with --matrix")
    from ._verify import verify as run_verify

    path = path or Path(".")
    if not as_json:
        click.echo(f"Verifying {path.resolve()}")
    report = run_verify(path, on_step=None if as_json else _show_step)
    if as_json:
        _print_json(report.to_dict())
    else:
        verdict = "passed" if report.ok else "FAILED"
        click.echo(f"Verification {verdict} in {report.seconds:.1f} s")
    return 0 if report.ok else 1


def _show_step(step: StepResult) -> None:
    from ._cli_lifecycle import show_step

    show_step(step)


def _verify_matrix(
    pack: str | None, cells: tuple[str, ...], output_dir: Path | None, as_json: bool
) -> int:
    from ._matrix import CellResult, verify_matrix

    def show(cell: CellResult) -> None:
        verdict = "ok  " if cell.ok else "FAIL"
        click.echo(
            f"{verdict} {cell.cell}  ({', '.join(cell.features) or 'no features'}) "
            f"{cell.seconds:.1f} s"
        )
        if cell.error:
            click.echo(f"       | {cell.error}")
        for relative in cell.leftovers:
            click.echo(f"       | template syntax left in {relative}")

    report = verify_matrix(
        _catalog(),
        pack=pack,
        cells=cells,
        output_dir=output_dir,
        on_cell=None if as_json else show,
        on_step=None if as_json else _show_step,
    )
    if as_json:
        _print_json(report.to_dict())
    else:
        verdict = "passed" if report.ok else "FAILED"
        green = sum(1 for cell in report.cells if cell.ok)
        click.echo(
            f"Matrix {verdict}: {green} of {len(report.cells)} combination(s) green "
            f"in {report.seconds:.1f} s"
        )
    return 0 if report.ok else 1


@cli.command()
@click.argument("kind", shell_complete=_complete_kind)
@click.argument("base_url")
@click.option(
    "--admin-email", envvar="SCAFFOLD_ADMIN_EMAIL", help="An admin account, for admin checks."
)
@click.option("--admin-password", envvar="SCAFFOLD_ADMIN_PASSWORD", help="Its password.")
def contract(kind: str, base_url: str, admin_email: str | None, admin_password: str | None) -> int:
    """Run the black-box contract suite of KIND against a service at BASE_URL."""
    from ._verify import run_contract

    _catalog().kind(kind)
    ok, output = run_contract(
        kind, base_url, admin_email=admin_email, admin_password=admin_password
    )
    click.echo(output.rstrip())
    return 0 if ok else 1


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="SCAFFOLD_SERVE_HOST",
    help="Address to listen on.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    envvar="SCAFFOLD_SERVE_PORT",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    envvar="SCAFFOLD_SERVE_WORKERS",
    help="Worker processes (default: one per CPU, at most 4).",
)
@click.option(
    "--max-renders",
    type=click.IntRange(1, 64),
    envvar="SCAFFOLD_SERVE_RENDERS",
    help="Projects made at once per worker (default 4); more wait, then get a 429.",
)
def serve(host: str, port: int, workers: int | None, max_renders: int | None) -> None:
    """Serve the web page and HTTP API: choose, explore and download projects.

    Needs the web extra: pip install 'scaffold-toolkit[web]'. Stops on SIGTERM or
    Ctrl-C after the requests in flight are answered.
    """
    from .web import serve as run_server

    run_server(host=host, port=port, workers=workers, renders=max_renders)


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script, e.g. eval "$(scaffold completion bash)"."""
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None
    click.echo(completer(cli, {}, "scaffold", "_SCAFFOLD_COMPLETE").source())


def _add_lifecycle_commands() -> None:
    """Add check, diff, update, add and remove (their own module: toolkit/_cli_lifecycle.py)."""
    from ._cli_lifecycle import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_add_lifecycle_commands()


def main() -> None:
    """Entry point of the ``scaffold`` console script."""
    # What is loaded by now (Click, the toolkit's modules) lives as long as the process:
    # keep it out of the collections that the lazy imports of Jinja2 and GitPython set
    # off, which would otherwise walk it again and again (2.5% of `scaffold new`).
    gc.freeze()
    try:
        cli.main(prog_name="scaffold")
    finally:
        # The same before exiting: the interpreter's shutdown runs full collections
        # over everything still tracked, 15 ms with Jinja2 and GitPython loaded, to
        # free memory the process is about to give back anyway. (Objects left in
        # reference cycles at exit were never sure to be finalized; files are closed.)
        gc.freeze()
