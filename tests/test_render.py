"""Pure rendering: layers, overrides, conditional files, models, and the real templates."""

import json
import os
import re
from pathlib import Path, PurePosixPath

import pytest

from toolkit import ANSWERS_FILE, Catalog, TemplateError, render
from toolkit._render import exec_form

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


def test_exec_form() -> None:
    assert exec_form("gunicorn 'app.main:create_app()'") == '["gunicorn", "app.main:create_app()"]'


def test_dry_run_tree_lists_folders_before_their_files(fake_catalog: Catalog) -> None:
    project = render(fake_catalog.resolve("demo", "d", framework="alpha"), catalog=fake_catalog)
    tree = project.tree().splitlines()
    assert tree[0] == "d/"
    assert tree.index("  bin/") < tree.index("    run")


# -- the real templates ---------------------------------------------------------------------

# A Jinja expression ("{{ name }}", "{{ x | f }}"), statement ("{% if") or comment ("{#");
# Python's own "}}" (nested dicts) is fine.
TEMPLATE_SYNTAX = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*(\||\}\})|\{%-?\s*[a-z]+|\{#")


@pytest.mark.parametrize("features", [None, []])
def test_every_offered_project_renders_clean(catalog: Catalog, features: list | None) -> None:
    for cell in catalog.combinations():
        spec = catalog.resolve(
            cell.kind,
            "render-check",
            framework=cell.framework,
            database=cell.database,
            features=features,
        )
        project = render(spec, catalog=catalog, make_secret=fixed_secret)
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


def test_compose_and_ci_files_are_valid_yaml_with_the_database(catalog: Catalog) -> None:
    yaml = pytest.importorskip("yaml", reason="pyyaml comes with the test extras")
    for cell in catalog.combinations():
        spec = catalog.resolve(cell.kind, "y", framework=cell.framework, database=cell.database)
        files = files_of(render(spec, catalog=catalog))
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


def test_every_offered_project_is_lint_clean(catalog: Catalog, tmp_path: Path) -> None:
    """ruff on the rendered Python projects, fast (the matrix lints every cell)."""
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
        spec = catalog.resolve(
            cell.kind, "lint-check", framework=cell.framework, database=cell.database
        )
        folder = tmp_path / str(cell).replace("/", "-")
        write_files(folder, render(spec, catalog=catalog, make_secret=fixed_secret).files)
        for argv in (
            [ruff, "check", "--no-cache", "."],
            [ruff, "format", "--no-cache", "--check", "."],
        ):
            completed = subprocess.run(
                argv, cwd=folder, capture_output=True, text=True, check=False
            )
            assert completed.returncode == 0, f"{cell}: {completed.stdout}{completed.stderr}"
