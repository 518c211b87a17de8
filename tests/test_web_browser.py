"""The page of `scaffold serve` in a real browser: Playwright driving Debian's Chromium.

Needs `/usr/bin/chromium` (`apt-get install chromium`; .ci/run installs it) and npm for
axe-core, which is installed into `.bench/axe-core` at test time. Playwright's own
browser download is never used. Screenshots of the main states go to
`.bench/screenshots/` (kept by CI as artifacts). Without Chromium or npm these tests
skip with the reason, and fail under CI=true.
"""

import fcntl
import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit import load_catalog
from toolkit.web._app import ServeSettings, create_app

from .test_matrix import skip_or_fail
from .web_support import catalog_with_gaps, live_server

# Marked slow too: a Chromium and a minute are more than the quick loop should need.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / ".bench" / "screenshots"
AXE = ROOT / ".bench" / "axe-core"
AXE_VERSION = "4"
CHROMIUM = os.environ.get("SCAFFOLD_CHROMIUM", "/usr/bin/chromium")
# As root, without a sandbox; and without the background calls to Google's services
# that this machine's closed network refuses (docs: /work/shared/ENVIRONMENT.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - the test extras install it
    sync_playwright = None  # type: ignore[assignment]


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    if sync_playwright is None:
        skip_or_fail("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    # The real catalog with gaps, so that the page has combinations to refuse.
    app = create_app(ServeSettings(), catalog=catalog_with_gaps(load_catalog()))
    with live_server(app) as url:
        yield url


@pytest.fixture
def page(browser: "Browser", base_url: str) -> Iterator["Page"]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.goto(base_url)
    ready(opened)
    yield opened
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm, installed once into .bench (not committed)."""
    script = AXE / "node_modules" / "axe-core" / "axe.min.js"
    npm = shutil.which("npm")
    if npm is None and not script.exists():
        skip_or_fail("npm is not installed (axe-core comes from npm)")
    assert npm is not None or script.exists()
    AXE.mkdir(parents=True, exist_ok=True)
    # Test processes may run side by side (pytest -n): one installs, the others wait.
    with (AXE / "install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not script.exists():
            install_axe(str(npm), script)
    return script


def install_axe(npm: str, script: Path) -> None:
    done = subprocess.run(
        [npm, "install", "--prefix", str(AXE), "--no-save", "--no-audit", "--no-fund",
         f"axe-core@{AXE_VERSION}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    if done.returncode != 0 or not script.exists():
        skip_or_fail(f"npm could not install axe-core: {done.stderr.strip()[-500:]}")


def ready(page: "Page") -> None:
    """The page has resolved its form once (/spec answered, the commands are filled)."""
    expect(page.locator("#cmd-new")).to_contain_text("scaffold new")


def shot(page: "Page", name: str, **options: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **options)


def choose(page: "Page", name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_choose_kind_framework_database_and_see_what_is_not_offered(page: "Page") -> None:
    choose(page, "kind", "blog-api")
    express = page.locator('input[name="framework"][value="express"]')
    expect(express).to_be_disabled()
    reason = page.locator("label", has=express).locator(".reason")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text(
        "framework 'express' for blog-api is not offered (not proven in CI)"
    )
    expect(page.locator('.kind-info[data-kind="blog-api"]')).to_be_visible()
    expect(page.locator('.kind-info[data-kind="task-api"]')).to_be_hidden()

    choose(page, "framework", "flask")
    for database in ("postgres", "mysql"):
        expect(page.locator(f'input[name="database"][value="{database}"]')).to_be_disabled()
    expect(page.locator('input[name="database"][value="sqlite"]')).to_be_checked()
    expect(page.locator("#cmd-new")).to_have_text(
        "scaffold new blog-api -f flask --no-input --no-git"
    )
    choose(page, "framework", "django")
    choose(page, "database", "postgres")
    expect(page.locator("#cmd-new")).to_have_text(
        "scaffold new blog-api -f django -d postgres --no-input --no-git"
    )
    expect(page.locator("#cmd-curl")).to_contain_text(
        "/starter.tgz?kind=blog-api&framework=django&database=postgres' | tar -xzf -"
    )
    choose(page, "framework", "flask")  # postgres is not offered there: back to SQLite
    expect(page.locator('input[name="database"][value="sqlite"]')).to_be_checked()
    shot(page, "not-offered", full_page=True)


def test_a_bad_name_shows_the_clis_message_and_blocks_the_download(page: "Page") -> None:
    page.fill("#name", "My API")
    expect(page.locator("#problem")).to_contain_text(
        "invalid project name 'My API': use lowercase letters"
    )
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")
    page.click("#download-zip")
    expect(page.locator("#name")).to_be_focused()
    shot(page, "bad-name")
    page.fill("#name", "my-api")
    expect(page.locator("#problem")).to_have_text("")
    expect(page.locator("#cmd-new")).to_contain_text("my-api")


def test_download_and_explore_act_on_the_form_as_it_is_now(page: "Page") -> None:
    # Clicked at once after typing, before the form's (debounced) resolution is due.
    page.fill("#name", "Bad Name")
    expect(page.locator("#problem")).not_to_have_text("")
    page.fill("#name", "quick")
    page.click("#explore")
    expect(page.locator("#explorer-name")).to_have_text("quick")
    page.fill("#name", "quicker")
    with page.expect_download() as event:
        page.click("#download-tgz")
    assert event.value.suggested_filename == "quicker.tgz"


def test_explore_and_open_a_file(page: "Page") -> None:
    choose(page, "kind", "task-api")
    page.fill("#name", "tasks")
    expect(page.locator("#cmd-new")).to_contain_text("tasks")
    page.click("#explore")
    expect(page.locator("#explorer")).to_be_visible()
    expect(page.locator("#explorer-title")).to_be_focused()
    expect(page.locator("#explorer-name")).to_have_text("tasks")
    expect(page.locator("#viewer-path")).to_have_text("README.md")  # opened first
    # Top folders are open, deeper ones closed until asked for.
    routes = page.locator('button.file[data-path="tasks/api/routes/tasks.py"]')
    expect(routes).to_be_hidden()
    page.locator("summary", has_text="api/").first.click()
    page.locator("summary", has_text="routes/").first.click()
    routes.click()
    expect(page.locator("#viewer-path")).to_have_text("tasks/api/routes/tasks.py")
    code = page.locator("#viewer-code")
    expect(code).to_be_focused()
    expect(code.locator(".hl span.kn").first).to_have_text("from")  # highlighted Python
    expect(routes).to_have_attribute("aria-current", "true")
    shot(page, "explore", full_page=True)


def test_download_gives_the_chosen_project(page: "Page") -> None:
    choose(page, "kind", "inventory")
    page.fill("#name", "stock")
    choose(page, "framework", "express")
    choose(page, "database", "mysql")
    page.locator('input[name="feature"][value="ci"]').uncheck()
    expect(page.locator("#cmd-new")).to_contain_text("--without ci")
    with page.expect_download() as event:
        page.click("#download-zip")
    download = event.value
    assert download.suggested_filename == "stock.zip"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        answers = json.loads(archive.read("stock/.scaffold.json"))
        names = archive.namelist()
    assert (answers["kind"], answers["framework"], answers["database"]) == (
        "inventory",
        "express",
        "mysql",
    )
    assert answers["features"] == ["docker"]
    assert "stock/.github/workflows/ci.yml" not in names and "stock/Dockerfile" in names


def test_a_shared_link_reproduces_the_form(page: "Page", browser: "Browser") -> None:
    choose(page, "kind", "payments")
    page.fill("#name", "pay")
    choose(page, "framework", "django")
    choose(page, "database", "mysql")
    page.locator('input[name="feature"][value="docker"]').uncheck()
    page.locator('input[name="git"]').check()
    expect(page.locator("#cmd-new")).to_have_text(
        "scaffold new payments pay -f django -d mysql --without docker --no-input"
    )
    link = page.locator("#share-url").input_value()
    assert page.url == link, "the address bar is the share link too"

    other = browser.new_context().new_page()
    other.goto(link)
    ready(other)
    for name, value in (("kind", "payments"), ("framework", "django"), ("database", "mysql")):
        expect(other.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
    expect(other.locator("#name")).to_have_value("pay")
    expect(other.locator('input[name="feature"][value="docker"]')).not_to_be_checked()
    expect(other.locator('input[name="feature"][value="ci"]')).to_be_checked()
    expect(other.locator('input[name="git"]')).to_be_checked()
    expect(other.locator("#cmd-new")).to_have_text(page.locator("#cmd-new").inner_text())
    shot(other, "shared-link", full_page=True)
    other.context.close()


def test_the_keyboard_alone_chooses_and_downloads(page: "Page") -> None:
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Tab")  # the skip link
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Tab")  # the checked kind
    expect(page.locator('input[name="kind"]:checked')).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator('input[name="kind"][value="blog-api"]')).to_be_checked()
    expect(page.locator('.kind-info[data-kind="blog-api"]')).to_be_visible()
    focused = ""
    for _ in range(40):  # on to the name field, then the download button
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "name":
            page.keyboard.type("kb-blog")
        if focused == "download-zip":
            break
    assert focused == "download-zip"
    expect(page.locator("#cmd-new")).to_contain_text("kb-blog")
    with page.expect_download() as event:
        page.keyboard.press("Enter")
    assert event.value.suggested_filename == "kb-blog.zip"
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle"
    )  # a visible focus ring
    assert outline not in {"", "none"}


def test_readable_at_phone_width(browser: "Browser", base_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(base_url)
    ready(phone)
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than the screen"
    shot(phone, "phone", full_page=True)
    phone.click("#explore")
    expect(phone.locator("#explorer")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(phone, "phone-explore", full_page=True)
    context.close()


def test_every_request_stays_on_the_server(browser: "Browser", base_url: str) -> None:
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    tab = context.new_page()
    tab.goto(base_url)
    ready(tab)
    tab.click("#explore")
    expect(tab.locator("#viewer-path")).to_have_text("README.md")
    tab.locator('button.file[data-path=".gitignore"]').click()
    expect(tab.locator("#viewer-path")).to_have_text(".gitignore")
    context.close()
    assert seen and all(url.startswith(base_url + "/") for url in seen), seen
    assert any("/preview?" in url for url in seen) and any("/spec?" in url for url in seen)


def serious_violations(page: "Page", axe: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_no_serious_accessibility_violations(
    browser: "Browser", base_url: str, axe_script: Path
) -> None:
    # The page's policy forbids inline scripts; axe is injected as one, for the test only.
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    tab.goto(base_url)
    ready(tab)
    choose(tab, "kind", "blog-api")  # some choices disabled, with their reasons shown
    expect(tab.locator('input[name="framework"][value="express"]')).to_be_disabled()
    tab.fill("#name", "Bad Name")  # the problem shown
    expect(tab.locator("#problem")).not_to_have_text("")
    found = serious_violations(tab, axe_script)
    tab.fill("#name", "")
    tab.click("#explore")
    expect(tab.locator("#viewer-path")).to_have_text("README.md")
    found += serious_violations(tab, axe_script)
    shot(tab, "choose-and-explore", full_page=True)
    context.close()
    assert found == [], json.dumps(found, indent=2)
