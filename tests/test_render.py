"""Pure rendering: layers, overrides, conditional files, models, and the real templates."""

import ast
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from toolkit import ANSWERS_FILE, Catalog, TemplateError, render
from toolkit._matrix import TEMPLATE_SYNTAX
from toolkit._render import exec_form, js_string

from .conftest import build_file_tree


def fixed_secret() -> str:
    return "fixed-secret"


def files_of(project) -> dict[str, str]:
    return {str(path): f.content.decode(errors="replace") for path, f in project.files.items()}


def test_layers_override_and_combine(fake_catalog: Catalog) -> None:
    spec = fake_catalog.resolve("demo", "my-demo", framework="alpha", database="two")
    files = files_of(render(spec, catalog=fake_catalog, make_secret=fixed_secret))
    assert files["README.md"] == "# my-demo on Alpha\n"
    assert files["app.py"] == "# demo overrides the shared alpha app\n"
    assert files["database.txt"] == "database two\n"
    assert files["kind.txt"] == "kind file\n"
    assert "my_demo/__init__.py" in files
    assert "extra_only.txt" not in files and "extra.txt" not in files
    assert "docs/index.md" in files  # default feature


def test_database_and_feature_layers_only_when_chosen(fake_catalog: Catalog) -> None:
    spec = fake_catalog.resolve("demo", "d", framework="alpha", database="one", features=["extra"])
    files = files_of(render(spec, catalog=fake_catalog))
    assert "database.txt" not in files
    assert files["extra.txt"] == "extra feature\n"
    assert "extra_only.txt" in files
    assert "docs/index.md" not in files


def test_other_framework_gets_its_own_layer(fake_catalog: Catalog) -> None:
    files = files_of(
        render(fake_catalog.resolve("demo", "d", framework="beta"), catalog=fake_catalog)
    )
    assert files["app.py"] == "# beta app\n"
    assert "bin/run" not in files


def test_only_jinja_files_are_rendered_and_bytes_are_kept(fake_catalog: Catalog) -> None:
    project = render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)
    logo = project.files[PurePosixPath("logo.bin")]
    assert logo.content == b"\x89PNG\x00\xff{{ not a template }}"
    assert project.files[PurePosixPath("bin/run")].executable
    assert not project.files[PurePosixPath("app.py")].executable
    assert not any(path.name in {"layer.toml", "kind.toml"} for path in project.files)


def test_layer_models_merge_in_order(fake_catalog: Catalog) -> None:
    project = render(
        fake_catalog.resolve("demo", "my-demo", framework="alpha"), catalog=fake_catalog
    )
    files = files_of(project)
    assert files["deps.txt"] == "base-lib,alpha-lib\n"  # appended, without duplicates
    assert project.commands["test"] == "alpha-test my_demo"  # a later layer wins
    assert files[".env"].splitlines()[1] == "SECRET_KEY=" + files[".env"].split("=", 1)[1].strip()
    assert files[".env.example"] == "SECRET_KEY=placeholder\n"


def test_secrets_are_generated_fresh_unless_fixed(fake_catalog: Catalog) -> None:
    spec = fake_catalog.resolve("demo", "d", framework="alpha")
    first = files_of(render(spec, catalog=fake_catalog))[".env"]
    second = files_of(render(spec, catalog=fake_catalog))[".env"]
    assert first != second
    fixed = files_of(render(spec, catalog=fake_catalog, make_secret=fixed_secret))[".env"]
    assert "SECRET_KEY=fixed-secret" in fixed


def test_answers_file_records_the_spec(fake_catalog: Catalog) -> None:
    spec = fake_catalog.resolve("demo", "d", framework="alpha", database="two")
    answers = json.loads(files_of(render(spec, catalog=fake_catalog))[ANSWERS_FILE])
    assert answers["kind"] == "demo" and answers["database"] == "two"
    assert answers["scaffold_version"]


def test_rendering_writes_nothing(
    fake_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    before = sorted(os.listdir(fake_catalog.root))
    render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)
    assert os.listdir(work) == []
    assert sorted(os.listdir(fake_catalog.root)) == before


def test_an_undefined_variable_is_an_error_naming_the_template(
    fake_catalog: Catalog, fake_templates: Path
) -> None:
    build_file_tree(fake_templates, {"demo/common/bad.txt.jinja": "{{ no_such_variable }}"})
    with pytest.raises(TemplateError, match=r"demo/common/bad\.txt\.jinja.*no_such_variable"):
        render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)


def test_a_syntax_error_is_an_error_with_its_line(
    fake_catalog: Catalog, fake_templates: Path
) -> None:
    build_file_tree(fake_templates, {"demo/common/bad.txt.jinja": "ok\n{% if %}\n"})
    with pytest.raises(TemplateError, match=r"bad\.txt\.jinja:2"):
        render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)


def test_a_bad_layer_file_is_reported(fake_catalog: Catalog, fake_templates: Path) -> None:
    build_file_tree(fake_templates, {"demo/common/layer.toml": "[nonsense]\nx = 1\n"})
    with pytest.raises(TemplateError, match="unknown table"):
        render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("Task API", "'Task API'"),
        ("the task's owner", '"the task\'s owner"'),
        ('say "hi"', "'say \"hi\"'"),
        ('it\'s "x" and "y"', '\'it\\\'s "x" and "y"\''),
        ("back\\slash", "'back\\\\slash'"),
    ],
)
def test_js_string_quotes_as_prettier_does(text: str, literal: str) -> None:
    """Single quotes unless the text holds more of them than double quotes."""
    assert js_string(text) == literal
    assert ast.literal_eval(literal) == text  # the same escapes in Python and JavaScript


def test_exec_form() -> None:
    assert exec_form("gunicorn 'app.main:create_app()'") == '["gunicorn", "app.main:create_app()"]'


def test_dry_run_tree_lists_folders_before_their_files(fake_catalog: Catalog) -> None:
    project = render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)
    tree = project.tree().splitlines()
    assert tree[0] == "d/"
    assert tree.index("  bin/") < tree.index("    run")


# -- the real templates ---------------------------------------------------------------------

# A Jinja expression ("{{ name }}", "{{ x | f }}"), statement ("{% if") or comment ("{#");
# Python's own "}}" (nested dicts) is fine, and so are GitHub Actions' "${{ github.ref }}".

# The names the tests give the projects they make, one cell after another, so that a
# name can never decide whether a project is green: names sorting after "tests" once
# failed the projects' own import order (ruff I001) while every test used names before it.
LONG_NAME = "z-very-long-project-name-to-stress-line-lengths-xy"  # 50, the longest allowed
VARIED_NAMES = (
    "users",  # sorts after "tests"; also the name of a module every kind has
    "matrix-check",  # sorts before "tests"
    "team42-v2",  # digits
    LONG_NAME,
    "fastapi-app",  # next to a dependency's name
    "pydantic-x",  # the same, for every stack
    "tokens",  # a word next to the standard library's (token, tokenize)
)


def varied_name(index: int) -> str:
    """The project name of the ``index``-th offered combination.

    Seven names, a number prime to the catalog's rows of 3 databases and 4 frameworks,
    so that every framework and every database meets every name.
    """
    return VARIED_NAMES[index % len(VARIED_NAMES)]


def render_offered(catalog: Catalog, features: list[str] | None = None) -> dict[str, Any]:
    """Every offered combination rendered (by cell), each under its ``varied_name``."""
    rendered = {}
    for index, cell in enumerate(catalog.combinations()):
        spec = catalog.resolve(
            cell.kind,
            varied_name(index),
            framework=cell.framework,
            database=cell.database,
            features=features,
        )
        rendered[str(cell)] = render(spec, catalog=catalog, make_secret=fixed_secret)
    return rendered


@pytest.mark.parametrize("features", [None, []])
def test_every_offered_project_renders_clean(
    catalog: Catalog, features: list | None, offered_projects: dict[str, Any]
) -> None:
    projects = offered_projects if features is None else render_offered(catalog, features)
    for cell, project in projects.items():
        for path, file in project.files.items():
            text = file.content.decode()
            assert not TEMPLATE_SYNTAX.search(text), f"{cell}: template syntax left in {path}"
            if path.suffix == ".py":
                compile(text, str(path), "exec")  # every Python file is valid Python
            elif path.suffix == ".json":
                json.loads(text)  # package.json, package-lock.json: valid JSON


def test_secrets_stay_out_of_git_and_docker(catalog: Catalog) -> None:
    project = render(catalog.resolve("task-api", "s"), catalog=catalog, make_secret=fixed_secret)
    files = files_of(project)
    assert "SECRET_KEY=fixed-secret" in files[".env"]
    assert "fixed-secret" not in files[".env.example"]
    assert ".env" in files[".gitignore"].splitlines()
    assert ".env" in files[".dockerignore"].splitlines()
    assert "fixed-secret" not in files["Dockerfile"]


def test_features_can_be_left_out(catalog: Catalog) -> None:
    spec = catalog.resolve("task-api", "bare", features=[])
    paths = set(files_of(render(spec, catalog=catalog)))
    assert not {"Dockerfile", "compose.yaml", ".dockerignore"} & paths
    assert not any(p.startswith(".github/") for p in paths)
    full = set(files_of(render(catalog.resolve("task-api", "bare"), catalog=catalog)))
    assert {"Dockerfile", "compose.yaml", ".github/workflows/ci.yml"} <= full


def test_the_package_is_named_after_the_project(catalog: Catalog) -> None:
    spec = catalog.resolve("task-api", "my-tasks", framework="flask")
    files = files_of(render(spec, catalog=catalog))
    assert "my_tasks/main.py" in files
    assert 'packages = ["my_tasks"]' in files["pyproject.toml"]
    assert '"my_tasks.main:create_app()"' in files["Dockerfile"]


ALEMBIC_REVISION = re.compile(r'^(down_revision|revision)\b[^=]*= "?([\w]+)"?$', re.M)


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_alembic_migrations_form_one_chain(catalog: Catalog, framework: str) -> None:
    # The shared users migrations revise the kind's newest one (vars.alembic_kind_head):
    # a kind that adds a migration without moving it would leave two heads.
    for kind in catalog.kinds:
        spec = catalog.resolve(kind, "chain", framework=framework)
        files = files_of(render(spec, catalog=catalog))
        parents = {}
        for path, text in files.items():
            if "/migrations/versions/" in path and path.endswith(".py"):
                found = dict(ALEMBIC_REVISION.findall(text))
                parents[found["revision"]] = found["down_revision"]
        assert list(parents.values()).count("None") == 1, (kind, parents)
        heads = set(parents) - set(parents.values())
        assert len(heads) == 1, f"{kind}: several heads {sorted(heads)}"
        assert len(set(parents.values())) == len(parents), f"{kind}: a branch in {parents}"


def test_compose_and_ci_files_are_valid_yaml_with_the_database(
    catalog: Catalog, offered_projects: dict[str, Any]
) -> None:
    yaml = pytest.importorskip("yaml", reason="pyyaml comes with the test extras")
    for cell in catalog.combinations():
        files = files_of(offered_projects[str(cell)])
        compose = yaml.safe_load(files["compose.yaml"])
        workflow = yaml.safe_load(files[".github/workflows/ci.yml"])
        server = catalog.databases[cell.database].needs_server
        assert ("db" in compose["services"]) is server, cell
        assert ("services" in workflow["jobs"]["test"]) is server, cell
        app_env = compose["services"]["app"]["environment"]
        assert app_env["DATABASE_URL"].startswith(cell.database.replace("postgres", "postgresql"))


def test_generated_files_are_fresh_keys(fake_catalog: Catalog, fake_templates: Path) -> None:
    build_file_tree(
        fake_templates,
        {"demo/alpha/layer.toml": '[generate]\n"secrets/key.pem" = "rsa-private-key"\n'},
    )
    spec = fake_catalog.resolve("demo", "d", framework="alpha")
    first = render(spec, catalog=fake_catalog).files[PurePosixPath("secrets/key.pem")].content
    second = render(spec, catalog=fake_catalog).files[PurePosixPath("secrets/key.pem")].content
    assert first.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert first != second


def test_an_unknown_generator_is_an_error(fake_catalog: Catalog, fake_templates: Path) -> None:
    build_file_tree(fake_templates, {"demo/alpha/layer.toml": '[generate]\n"k" = "magic"\n'})
    with pytest.raises(TemplateError, match="unknown generator 'magic'"):
        render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)


def test_every_offered_project_is_lint_clean(
    catalog: Catalog, tmp_path: Path, offered_projects: dict[str, Any]
) -> None:
    """ruff on the rendered Python projects, fast (the matrix lints every cell).

    Each cell gets its name from :func:`varied_name`; ruff runs once over all of them,
    each project under its own configuration.
    """
    import shutil
    import subprocess
    import sys

    local = Path(sys.executable).parent / "ruff"
    ruff = str(local) if local.exists() else shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff comes with the test extras")
    from toolkit._write import write_files

    for cell in catalog.combinations():
        if catalog.frameworks[cell.framework].language != "python":
            continue  # eslint needs the project's node_modules: the matrix lints those cells
        project = offered_projects[str(cell)]
        folder = tmp_path / str(cell).replace("/", "-") / project.spec.name
        write_files(folder, project.files)
    for argv in (
        [ruff, "check", "--no-cache", "--output-format", "concise", "."],
        [ruff, "format", "--no-cache", "--check", "."],
    ):
        completed = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert completed.returncode == 0, f"{completed.stdout}{completed.stderr}"


def test_every_framework_and_database_meets_every_varied_name(catalog: Catalog) -> None:
    met: dict[str, set[str]] = {}
    for index, cell in enumerate(catalog.combinations()):
        for choice in (cell.framework, cell.database):
            met.setdefault(choice, set()).add(varied_name(index))
    assert all(names == set(VARIED_NAMES) for names in met.values()), met


# `"7391" not in text` (Python) or `!text.includes('7391')` (JavaScript): a few digits
# looked for anywhere in a response or a log, where a timestamp or an id may hold them.
# Among the values of a JSON document (payments' `json_values`) is where to look.
BARE_DIGITS_ABSENT = re.compile(
    r"""(['"])\d{1,8}\1\s+not\s+in\s+(?!json_values\()"""
    r"""|!\s*[\w.()]+\.includes\((['"])\d{1,8}\2\)"""
)


def test_no_test_looks_for_a_few_digits_anywhere_in_a_text(catalog: Catalog) -> None:
    """A generated or contract test checks a secret's digits as a value, never as a substring.

    "7391" (a test cvc) is in about 0.7% of payments' timestamps: a check that looked
    for it anywhere in the listed payments failed by chance.
    """
    from toolkit._paths import contracts_root

    found = []
    for root in (catalog.root, contracts_root()):
        for path in root.rglob("*"):
            if path.suffix in {".py", ".js", ".jinja"} and path.is_file():
                for number, line in enumerate(path.read_text().splitlines(), 1):
                    if BARE_DIGITS_ABSENT.search(line):
                        found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_a_database_url_of_another_database_is_refused_by_the_library(catalog: Catalog) -> None:
    from toolkit import InvalidDatabaseUrlError

    spec = catalog.resolve("task-api", "u", framework="django", database="mysql")
    with pytest.raises(InvalidDatabaseUrlError, match=r"postgresql://me:\*\*\*@h/x: a MySQL URL"):
        render(spec, catalog=catalog, database_url="postgresql://me:pw@h/x")
    project = render(spec, catalog=catalog, database_url="mariadb://me:pw@h:3307/shop")
    env = files_of(project)[".env"].splitlines()
    assert "DATABASE_URL=mysql://me:pw@h:3307/shop?charset=utf8mb4" in env
    sqlite = catalog.resolve("task-api", "u", framework="express")
    project = render(sqlite, catalog=catalog, database_url="sqlite:////var/lib/u/app.db")
    assert "DATABASE_URL=sqlite:////var/lib/u/app.db" in files_of(project)[".env"].splitlines()


def test_a_server_projects_readme_says_how_to_use_an_existing_server(catalog: Catalog) -> None:
    for framework in catalog.frameworks:
        spec = catalog.resolve("task-api", "mine", framework=framework, database="postgres")
        files = files_of(render(spec, catalog=catalog))
        scheme = "postgresql+psycopg" if framework in {"fastapi", "flask"} else "postgresql"
        readme = " ".join(files["README.md"].split())
        assert f"`DATABASE_URL={scheme}://me:secret@localhost:5432/mine`" in readme, framework
        assert "--database-url URL" in readme and "cannot be used, the commands say so" in readme
        help_file = next(p for p in files if p.endswith(("database_help.py", "unreachable.js")))
        assert "docker compose up -d --wait db" in files[help_file], framework
    sqlite = files_of(render(catalog.resolve("task-api", "mine"), catalog=catalog))
    assert "--database-url" not in sqlite["README.md"]


def test_node_tests_skip_through_suites_so_each_skipped_test_is_counted(catalog: Catalog) -> None:
    """node:test's own describe(name, {skip}) declares none of its tests: a run without a
    database server said "tests 0, skipped 0". Test files that skip use test/suites.js."""
    own = re.compile(r"require\('node:test'\)")
    found = [
        str(path.relative_to(catalog.root))
        for path in catalog.root.rglob("*.js*")
        if path.name != "suites.js" and "skip:" in (text := path.read_text()) and own.search(text)
    ]
    assert found == []


def test_python_tests_print_every_skip_with_its_reason(catalog: Catalog) -> None:
    for framework in ("fastapi", "flask", "django"):
        spec = catalog.resolve("task-api", "p", framework=framework, database="postgres")
        pyproject = files_of(render(spec, catalog=catalog))["pyproject.toml"]
        addopts = re.search(r'^addopts = "(.*)"$', pyproject, re.M)
        assert addopts is not None and "-ra" in addopts.group(1).split(), framework


def test_the_ways_out_name_each_projects_own_create_database_command(
    offered_projects: dict[str, Any],
) -> None:
    """The message of every stack (wrapped into lines on Python) ends with the very
    command to run, whatever the project's name (a hyphen once broke it in two)."""
    for cell, project in offered_projects.items():
        files = files_of(project)
        command = project.commands["create_database"]
        for path, text in files.items():
            if path.endswith("core/database_help.py"):
                scope: dict[str, Any] = {}
                exec(compile(text, path, "exec"), scope)  # standard library only
                ways_out = scope["WAYS_OUT"]
            elif path.endswith("src/db/unreachable.js"):
                # A JavaScript string literal, on its own line; Python reads these alike.
                literal = re.search(r"const WAYS_OUT =\s+(.*);", text).group(1)
                ways_out = ast.literal_eval(literal)
            else:
                continue
            assert ways_out.endswith(f"; then run {command}."), f"{cell}: {ways_out}"
            assert "DATABASE_URL (in .env)" in ways_out, cell
