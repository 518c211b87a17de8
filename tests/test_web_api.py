"""`scaffold serve`'s HTTP API in process: every endpoint, the archives, every bad input."""

import io
import json
import re
import shlex
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner

import toolkit.web._app as app_module
from toolkit import Catalog, generate, load_catalog, render
from toolkit._generate import commit_message
from toolkit.cli import cli
from toolkit.web._app import ServeSettings, create_app
from toolkit.web._archive import Entry, member_name, zip_chunks
from toolkit.web._params import MAX_PARAMETERS

from .conftest import git
from .web_support import TestClient, assert_same_but_secrets, catalog_with_gaps, client, unpack

ENDPOINTS = ["/starter.zip", "/starter.tgz", "/spec", "/preview"]


@pytest.fixture(scope="module")
def api() -> Iterator[TestClient]:
    # One event loop for the module's requests, as a worker has (lifespan included).
    with client(create_app(ServeSettings())) as api:
        yield api


@pytest.fixture(scope="module")
def gaps_api() -> Iterator[TestClient]:
    with client(create_app(ServeSettings(), catalog=catalog_with_gaps(load_catalog()))) as api:
        yield api


def download(api: TestClient, tmp_path: Path, query: str, fmt: str = "zip") -> Path:
    response = api.get(f"/starter.{fmt}?{query}")
    assert response.status_code == 200, response.text
    archive = tmp_path / f"download.{fmt}"
    archive.write_bytes(response.content)
    return archive


# -- health, metadata -----------------------------------------------------------------------


def test_health(api: TestClient) -> None:
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_metadata_holds_list_and_info(api: TestClient, catalog: Catalog) -> None:
    data = api.get("/metadata").json()
    listed = json.loads(CliRunner().invoke(cli, ["list", "--json"]).output)
    assert data["frameworks"].keys() == listed["frameworks"].keys()
    assert data["features"] == listed["features"]
    for kind in catalog.kinds:
        info = json.loads(CliRunner().invoke(cli, ["info", kind, "--json"]).output)
        assert data["kinds"][kind].items() >= info.items()
    cells = data["combinations"]
    assert len(cells) == len(catalog.kinds) * len(catalog.frameworks) * len(catalog.databases)
    offered = {(c["kind"], c["framework"], c["database"]) for c in cells if c["offered"]}
    assert offered == {(c["kind"], c["framework"], c["database"]) for c in listed["offered"]}
    assert all(
        c["verified"] == c["offered"] and (c["reason"] is None) == c["offered"] for c in cells
    )


def test_metadata_says_why_a_combination_is_not_offered(gaps_api: TestClient) -> None:
    cells = gaps_api.get("/metadata").json()["combinations"]
    cell = next(
        c
        for c in cells
        if (c["kind"], c["framework"], c["database"]) == ("blog-api", "flask", "mysql")
    )
    assert cell["offered"] is False and cell["verified"] is False
    assert cell["reason"] == (
        "database 'mysql' for blog-api on flask is not offered (not proven in CI); offered: sqlite"
    )


def test_metadata_has_an_etag(api: TestClient) -> None:
    first = api.get("/metadata")
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    again = api.get("/metadata", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert api.get("/metadata", headers={"if-none-match": '"other"'}).status_code == 200


# -- downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["zip", "tgz"])
@pytest.mark.parametrize(
    ("kind", "framework", "database"),
    [("task-api", "fastapi", "sqlite"), ("auth-service", "express", "postgres")],
)
def test_a_download_is_what_scaffold_new_writes_but_secrets(
    api: TestClient,
    catalog: Catalog,
    tmp_path: Path,
    fmt: str,
    kind: str,
    framework: str,
    database: str,
) -> None:
    query = f"kind={kind}&name=my-svc&framework={framework}&database={database}&without=ci"
    archive = download(api, tmp_path, query, fmt)
    unpacked = unpack(archive, tmp_path / "unpacked")
    assert [p.name for p in unpacked.iterdir()] == ["my-svc"], "the name is the top folder"
    spec = catalog.resolve(kind, "my-svc", framework=framework, database=database, without=["ci"])
    written = generate(spec, tmp_path / "new" / "my-svc", git=False, catalog=catalog)
    assert_same_but_secrets(unpacked / "my-svc", written.path, catalog, spec)


def test_executable_bits_are_recorded_in_both_formats(api: TestClient, tmp_path: Path) -> None:
    query = "kind=task-api&framework=express"
    executable = {
        str(path)
        for path, file in render(
            load_catalog().resolve("task-api", framework="express")
        ).files.items()
        if file.executable
    }
    assert executable, "an Express project has a script to run"
    members = [
        m for m in zipfile.ZipFile(download(api, tmp_path, query)).infolist() if not m.is_dir()
    ]
    modes = {m.filename.removeprefix("task-api/"): m.external_attr >> 16 for m in members}
    assert all(modes[p] & 0o111 == 0o111 for p in executable)
    assert all(modes[p] & 0o111 == 0 for p in modes if p not in executable and not p.endswith("/"))
    with tarfile.open(download(api, tmp_path, query, "tgz")) as archive:
        tar_modes = {
            m.name.removeprefix("task-api/"): m.mode for m in archive.getmembers() if m.isfile()
        }
    assert all(tar_modes[p] == 0o644 for p in tar_modes if p not in executable)
    assert all(tar_modes[p] == 0o755 for p in executable)


def test_every_download_has_fresh_secrets(api: TestClient, tmp_path: Path) -> None:
    def secrets_of(response_bytes: bytes) -> tuple[bytes, bytes]:
        with zipfile.ZipFile(io.BytesIO(response_bytes)) as archive:
            env = archive.read("auth-service/.env")
            key = archive.read("auth-service/secrets/jwt_private_key.pem")
        return env, key

    first = secrets_of(api.get("/starter.zip?kind=auth-service").content)
    second = secrets_of(api.post("/starter.zip", data={"kind": "auth-service"}).content)
    assert first[0] != second[0] and first[1] != second[1]
    headers = api.get("/starter.zip?kind=task-api").headers
    assert headers["cache-control"] == "no-store"
    assert headers["content-disposition"] == 'attachment; filename="task-api.zip"'


def test_git_true_includes_the_repository_and_its_first_commit(
    api: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    archive = download(api, tmp_path, "kind=blog-api&name=blog&framework=flask&git=true")
    project = unpack(archive, tmp_path / "out") / "blog"
    assert git(project, "branch", "--show-current") == "main"
    spec = catalog.resolve("blog-api", "blog", framework="flask")
    assert git(project, "log", "--format=%s") == commit_message(spec), "one commit"
    assert git(project, "status", "--porcelain") == "", "the commit holds every file"
    assert ".env" not in git(project, "ls-files").splitlines(), ".env stays out of Git"
    written = generate(spec, tmp_path / "new" / "blog", git=False, catalog=catalog)
    assert_same_but_secrets(project, written.path, catalog, spec)


def test_a_form_body_is_the_same_as_a_query(api: TestClient) -> None:
    form = {"kind": "inventory", "name": "stock", "framework": "django", "database": "mysql"}
    posted = api.post("/starter.tgz", data=form)
    assert posted.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(posted.content)) as archive:
        answers = json.loads(archive.extractfile("stock/.scaffold.json").read())
    assert (answers["kind"], answers["framework"], answers["database"]) == (
        "inventory",
        "django",
        "mysql",
    )


# -- /spec: the commands and the share query -------------------------------------------------


def test_spec_gives_commands_that_make_the_same_project(
    api: TestClient, catalog: Catalog, tmp_path: Path
) -> None:
    answer = api.get(
        "/spec?kind=payments&name=pay&framework=django&database=postgres&without=docker"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["spec"] == {
        "kind": "payments",
        "name": "pay",
        "framework": "django",
        "database": "postgres",
        "features": ["ci"],
    }
    assert (
        body["query"] == "kind=payments&name=pay&framework=django&database=postgres&without=docker"
    )
    command = shlex.split(body["commands"]["scaffold"])
    assert command[:2] == ["scaffold", "new"] and "--no-input" in command
    made = CliRunner().invoke(cli, [*command[1:], "-o", str(tmp_path / "cli")])
    assert made.exit_code == 0, made.output

    curl = shlex.split(body["commands"]["curl"])
    assert curl[:2] == ["curl", "-fsSL"] and curl[3:] == ["|", "tar", "-xzf", "-"]
    url = urlsplit(curl[2])
    assert url.path == "/starter.tgz" and url.query == body["query"]
    assert body["downloads"]["zip"] == f"/starter.zip?{body['query']}"
    archive = download(api, tmp_path, url.query, "tgz")
    spec = catalog.resolve(
        "payments", "pay", framework="django", database="postgres", without=["docker"]
    )
    assert_same_but_secrets(
        unpack(archive, tmp_path / "curl") / "pay", tmp_path / "cli" / "pay", catalog, spec
    )


@pytest.mark.parametrize(
    ("query", "canonical", "command"),
    [
        (
            "kind=task-api",
            "kind=task-api&framework=fastapi&database=sqlite",
            "task-api --no-input --no-git",
        ),
        (
            "kind=task-api&name=task-api&feature=&git=on",
            "kind=task-api&framework=fastapi&database=sqlite&without=ci&without=docker&git=true",
            "task-api --without ci --without docker --no-input",
        ),
        (
            "kind=blog-api&framework=express&feature=docker",
            "kind=blog-api&framework=express&database=sqlite&without=ci",
            "blog-api -f express --without ci --no-input --no-git",
        ),
        (
            "kind=blog-api&database=mysql&name=&without=",
            "kind=blog-api&framework=fastapi&database=mysql",
            "blog-api -d mysql --no-input --no-git",
        ),
    ],
)
def test_spec_canonical_query_and_command(
    api: TestClient, query: str, canonical: str, command: str
) -> None:
    body = api.get(f"/spec?{query}").json()
    assert body["query"] == canonical
    assert body["commands"]["scaffold"] == f"scaffold new {command}"
    # The canonical query asks for the same thing.
    assert api.get(f"/spec?{canonical}").json()["spec"] == body["spec"]


# -- /preview -------------------------------------------------------------------------------


def test_preview_tree_and_files(api: TestClient) -> None:
    spec_query = "kind=task-api&framework=express&name=tasks"
    tree = api.get(f"/preview?{spec_query}").json()
    expected = render(load_catalog().resolve("task-api", "tasks", framework="express"))
    assert [f["path"] for f in tree["files"]] == expected.paths()
    assert tree["name"] == "tasks" and tree["commands"]["test"] == expected.commands["test"]
    script = next(f for f in tree["files"] if f["executable"])
    readme = api.get(f"/preview?{spec_query}&path=README.md").json()
    assert readme["text"] == expected.files[PurePosixPath("README.md")].content.decode()
    assert readme["binary"] is False and '<div class="hl">' in readme["html"]
    code = api.get(f"/preview?{spec_query}&path={script['path']}").json()
    assert code["executable"] is True and '<span class="' in code["html"]
    assert api.get(f"/preview?{spec_query}&path=README.md").headers["cache-control"] == "no-store"


def test_preview_escapes_what_it_highlights(api: TestClient) -> None:
    body = api.get("/preview?kind=task-api&path=README.md").json()
    assert "<script" not in body["html"]
    assert body["text"].count("<") == body["html"].count("&lt;")


@pytest.mark.parametrize(
    "path",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "task_api/../../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e/%2e%2e/etc/passwd",
        "task_api",
        "task_api/",
        "README.md%00.txt",
        "C:\\Windows\\win.ini",
        "\u202ereadme",
    ],
)
def test_preview_of_a_path_outside_the_project_is_404(api: TestClient, path: str) -> None:
    response = api.get(f"/preview?kind=task-api&path={path}")
    assert response.status_code == 404, response.text
    detail = response.json()["detail"]
    assert detail.startswith("no file ") and "\n" not in detail


# -- bad input: 4xx with a one-line JSON detail, never a 500 ---------------------------------

KINDS = sorted(load_catalog().kinds)
FEATURES = ", ".join(sorted(load_catalog().features))
BAD = [
    ("", "parameter 'kind' is required; choose from: " + ", ".join(KINDS), "kind"),
    ("kind=", "parameter 'kind' is required", "kind"),
    ("kind=nope", "unknown kind 'nope'; choose from: " + ", ".join(KINDS), "kind"),
    ("kind=task-api&framework=rails", "unknown framework 'rails'; choose from: ", "framework"),
    (
        "kind=task-api&database=oracle",
        "unknown database 'oracle'; choose from: mysql, postgres, sqlite",
        "database",
    ),
    ("kind=task-api&feature=rkt", "unknown feature 'rkt'; choose from: " + FEATURES, "feature"),
    ("kind=task-api&without=rkt", "unknown feature 'rkt'; choose from: " + FEATURES, "feature"),
    ("kind=task-api&name=../..", "invalid project name '../..': give a plain name", "name"),
    (
        "kind=task-api&name=..%2F..%2Fetc",
        "invalid project name '../../etc': give a plain name",
        "name",
    ),
    ("kind=task-api&name=/abs/path", "invalid project name '/abs/path': give a plain name", "name"),
    ("kind=task-api&name=My%20API", "invalid project name 'My API': use lowercase letters", "name"),
    ("kind=task-api&name=a%00b", "invalid project name 'a\\x00b'", "name"),
    ("kind=task-api&name=a%0D%0Ab", "invalid project name 'a\\r\\nb'", "name"),
    ("kind=task-api&name=%C3%BCber", "invalid project name 'über'", "name"),
    ("kind=task-api&name=%F0%9F%98%80", "invalid project name '\U0001f600'", "name"),
    ("kind=task-api&name=%ED%A0%80", "invalid project name '\ufffd\ufffd\ufffd'", "name"),
    ("kind=%FF%FE", "unknown kind '\ufffd\ufffd'", "kind"),
    ("kind=task-api&name=%zz", "invalid project name '%zz'", "name"),
    ("kind=task-api&name=class", "'class' is a Python keyword", "name"),
    ("kind=task-api&framework=express&name=events", "it is a Node core module", "name"),
    ("kind=task-api&name=" + "a" * 60, "longer than 50 characters", "name"),
    (
        "kind=task-api&name=" + "a" * 300,
        "parameter 'name' is too long (at most 200 characters)",
        "name",
    ),
    ("kind=task-api&kind=blog-api", "parameter 'kind' is given more than once", "kind"),
    ("kind=task-api&name=a&name=b", "parameter 'name' is given more than once", "name"),
    ("kind=task-api&git=maybe", "invalid git 'maybe'; choose from: false, true", "git"),
    ("kind=task-api&frobnicate=1", "unknown parameter 'frobnicate'; choose from: ", None),
    ("kind=task-api&%00=1", "unknown parameter '\\x00'", None),
    (
        "kind=task-api&" + "feature=docker&" * MAX_PARAMETERS,
        "too many parameters (at most 32)",
        None,
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("query", "message", "parameter"), BAD, ids=[b[0][:40] for b in BAD])
def test_bad_parameters_are_400_with_the_clis_message(
    api: TestClient, endpoint: str, query: str, message: str, parameter: str | None
) -> None:
    for response in (
        api.get(f"{endpoint}?{query}"),
        api.post(
            endpoint, content=query, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        if endpoint.startswith("/starter")
        else None,
    ):
        if response is None:
            continue
        assert response.status_code == 400, response.text
        body = response.json()
        assert message in body["detail"]
        assert "\n" not in body["detail"] and "\r" not in body["detail"]
        assert body.get("parameter") == parameter


def test_choices_come_with_the_message(api: TestClient, catalog: Catalog) -> None:
    body = api.get("/starter.zip?kind=task-api&framework=rails").json()
    assert body["choices"] == sorted(catalog.frameworks)
    body = api.get("/starter.zip?kind=task-api&path=x").json()
    assert body["choices"] == sorted(
        ["database", "feature", "framework", "git", "kind", "name", "without"]
    )


def test_a_combination_that_is_not_offered_is_400_with_its_reason(gaps_api: TestClient) -> None:
    body = gaps_api.get("/starter.zip?kind=blog-api&framework=express").json()
    assert body == {
        "detail": "framework 'express' for blog-api is not offered (not proven in CI); "
        "offered: django, fastapi, flask",
        "parameter": "framework",
        "choices": ["django", "fastapi", "flask"],
    }
    body = gaps_api.get("/spec?kind=blog-api&framework=flask&database=postgres").json()
    assert body["parameter"] == "database" and body["choices"] == ["sqlite"]


def test_size_limits(api: TestClient) -> None:
    long_query = "kind=task-api&name=" + "a" * 5000
    response = api.get(f"/starter.zip?{long_query}")
    assert response.status_code == 414 and "query string too long" in response.json()["detail"]
    assert api.get(f"/?{long_query}").status_code == 414
    big = "kind=task-api&" + "x" * 9000
    form = {"content-type": "application/x-www-form-urlencoded"}
    response = api.post("/starter.zip", content=big, headers=form)
    assert response.status_code == 413 and "too large" in response.json()["detail"]

    def chunks():  # no Content-Length: the size is counted as the body comes
        for _ in range(20):
            yield b"a" * 1000

    assert api.post("/starter.zip", content=chunks(), headers=form).status_code == 413


def test_only_form_bodies_are_taken(api: TestClient) -> None:
    response = api.post("/starter.zip", json={"kind": "task-api"})
    assert response.status_code == 415
    assert "application/x-www-form-urlencoded" in response.json()["detail"]


def test_unknown_routes_and_methods_are_json(api: TestClient) -> None:
    missing = api.get("/nothing-here")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    wrong = api.delete("/starter.zip")
    assert wrong.status_code == 405 and "detail" in wrong.json()
    assert "GET" in wrong.headers["allow"]


def test_odd_requests_never_get_a_500(api: TestClient) -> None:
    odd = [
        "/starter.zip?kind",
        "/starter.zip?=&=&&",
        "/starter.zip?kind=task-api&&&name=x&",
        "/starter.zip?kind=task-api;name=x",
        "/spec?kind[]=task-api",
        "/preview?kind=task-api&path=",
        "/preview?kind=task-api&path=" + "a" * 199,
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fpyproject.toml",
        "/%00",
        "/?kind=%00&framework=%ff&database=" + "x" * 100,
        "/?kind=blog-api&kind=task-api",
        "/?" + "a=1&" * 100,
    ]
    for url in odd:
        response = api.get(url)
        assert response.status_code < 500, url
        assert response.status_code in {200, 400, 404}, (url, response.status_code)
        if response.status_code != 200:
            assert "detail" in response.json()
        assert b"root:" not in response.content


def test_zip_members_never_leave_the_top_folder() -> None:
    for bad in ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", ".", "a/.."]:
        with pytest.raises(ValueError):
            member_name("top", bad)
    for top in ["", ".", "..", "a/b", "a\\b"]:
        with pytest.raises(ValueError):
            member_name(top, "file")
    with pytest.raises(ValueError):
        b"".join(zip_chunks("top", [Entry("../evil", b"x")]))


def test_downloaded_members_stay_inside_the_top_folder(api: TestClient) -> None:
    name = "a" + "-b" * 24
    content = api.get(f"/starter.zip?kind=payments&name={name}&git=true").content
    for member in zipfile.ZipFile(io.BytesIO(content)).namelist():
        parts = member.rstrip("/").split("/")
        assert parts[0] == name and ".." not in parts and not member.startswith("/")


# -- the bound on concurrent renders ----------------------------------------------------------


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Renders that start, then wait until released: a way to keep every turn busy."""
    started, release = threading.Event(), threading.Event()
    real_render = app_module.render

    def slow_render(*args, **kwargs):
        started.set()
        assert release.wait(20)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(app_module, "render", slow_render)
    yield started, release
    release.set()


def test_past_the_bound_a_429_with_retry_after(
    held: tuple[threading.Event, threading.Event],
) -> None:
    started, release = held
    with client(create_app(ServeSettings(renders=1, waiting=0))) as busy:
        results: list[int] = []
        first = threading.Thread(
            target=lambda: results.append(busy.get("/starter.zip?kind=task-api").status_code)
        )
        first.start()
        try:
            assert started.wait(20)
            refused = busy.get("/starter.zip?kind=blog-api")
            assert refused.status_code == 429
            assert refused.headers["retry-after"] == "1"
            assert "try again" in refused.json()["detail"]
            assert busy.get("/preview?kind=blog-api").status_code == 429
            assert busy.get("/spec?kind=blog-api").status_code == 200, "resolving renders nothing"
        finally:
            release.set()
            first.join(20)
        assert results == [200]
        assert busy.get("/starter.zip?kind=blog-api").status_code == 200, "the turn came back"


def test_a_wait_that_runs_out_is_a_429(held: tuple[threading.Event, threading.Event]) -> None:
    started, release = held
    with client(create_app(ServeSettings(renders=1, waiting=4, wait_seconds=0.3))) as busy:
        first = threading.Thread(target=lambda: busy.get("/starter.zip?kind=task-api"))
        first.start()
        try:
            assert started.wait(20)
            waited = busy.get("/starter.zip?kind=task-api")
            assert waited.status_code == 429
        finally:
            release.set()
            first.join(20)


def test_a_failed_render_gives_its_turn_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    app = create_app(ServeSettings(renders=1, waiting=0))
    monkeypatch.setattr(app_module, "render", broken)
    with TestClient(app, raise_server_exceptions=False) as failing:
        response = failing.get("/starter.zip?kind=task-api")
        assert response.status_code == 500
        assert response.json() == {"detail": "internal error; the server's log has the details"}
        monkeypatch.undo()
        assert failing.get("/starter.zip?kind=task-api").status_code == 200


def test_settings_from_the_environment() -> None:
    settings = ServeSettings.from_env(
        {"SCAFFOLD_SERVE_RENDERS": "2", "SCAFFOLD_SERVE_WAIT_SECONDS": "1.5"}
    )
    assert (settings.renders, settings.wait_seconds, settings.waiting) == (2, 1.5, 64)
    assert ServeSettings.from_env(settings.to_env()) == settings
    with pytest.raises(ValueError):
        ServeSettings.from_env({"SCAFFOLD_SERVE_RENDERS": "0"})


# -- the page and its assets -----------------------------------------------------------------


def test_the_page_fills_the_form_from_a_shared_link(api: TestClient) -> None:
    page = api.get(
        "/?kind=blog-api&name=my-blog&framework=django&database=mysql&without=ci&git=true"
    )
    assert page.status_code == 200
    html = page.text
    assert re.search(r'name="kind" value="blog-api" checked', html)
    assert re.search(r'name="framework" value="django" checked', html)
    assert re.search(r'name="database" value="mysql" checked', html)
    assert 'name="name" value="my-blog"' in html
    assert re.search(r'name="feature" value="docker" checked', html)
    assert not re.search(r'name="feature" value="ci" checked', html)
    assert re.search(r'name="git" value="true" checked', html)
    assert "scaffold new blog-api my-blog -f django -d mysql --without ci --no-input" in html
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_page_shows_a_bad_link_s_problem(api: TestClient) -> None:
    html = api.get("/?kind=task-api&name=Bad%20Name").text
    assert "invalid project name &#39;Bad Name&#39;" in html
    assert 'value="Bad Name"' in html


def test_the_page_loads_nothing_from_elsewhere(api: TestClient) -> None:
    html = api.get("/").text
    for url in re.findall(r'(?:src|href|action)="([^"]*)"', html):
        assert url.startswith(("/", "#")) and not url.startswith("//"), url
    for asset in ("/static/app.js", "/static/app.css", "/highlight.css"):
        response = api.get(asset)
        assert response.status_code == 200, asset
        assert not re.search(r"https?://|url\(|@import", response.text), asset
    icon = api.get("/static/favicon.svg").text
    assert "href" not in icon and "<image" not in icon


def test_the_page_embeds_the_metadata_safely(api: TestClient) -> None:
    html = api.get("/").text
    embedded = re.search(
        r'<script type="application/json" id="metadata">(.*?)</script>', html, re.S
    )
    assert embedded is not None
    assert json.loads(embedded.group(1)) == api.get("/metadata").json()


def test_queries_are_parsed_as_browsers_send_them(api: TestClient) -> None:
    query = "kind=task-api&name=x-y&feature=&feature=docker&git=true"
    assert dict(parse_qsl(api.get(f"/spec?{query}").json()["query"])) == {
        "kind": "task-api",
        "name": "x-y",
        "framework": "fastapi",
        "database": "sqlite",
        "without": "ci",
        "git": "true",
    }


def test_the_readmes_curl_examples_work(api: TestClient) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    examples = [line for line in readme.splitlines() if line.startswith("curl ")]
    assert len(examples) >= 2
    for example in examples:
        argv = shlex.split(example.split(" | ")[0])
        url = urlsplit(next(arg for arg in argv if arg.startswith("http://127.0.0.1:8000/")))
        target = f"{url.path}?{url.query}" if url.query else url.path
        form = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-d"]
        if form:  # curl -d sends a form body with POST
            response = api.post(
                target,
                content="&".join(form),
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
        else:
            response = api.get(target)
        assert response.status_code == 200, (example, response.text)
