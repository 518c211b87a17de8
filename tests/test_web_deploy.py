"""The toolkit's own Dockerfile and compose example, checked without a Docker engine.

tests/test_docker.py builds and runs the image for real where an engine runs (CI).
"""

import json
import re
import subprocess
from pathlib import Path

import yaml

from toolkit.web._server import GRACEFUL_SECONDS

from .test_matrix import tool

ROOT = Path(__file__).resolve().parents[1]


def test_the_dockerfile_passes_hadolint() -> None:
    done = subprocess.run(
        [tool("hadolint"), "Dockerfile"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest))
    return found


def test_the_image_serves_with_the_web_extra_as_a_user() -> None:
    steps = instructions()
    runtime = steps[max(i for i, (k, _) in enumerate(steps) if k == "FROM") :]
    assert runtime[0][1] == "python:3.11-slim AS runtime"
    assert any(k == "RUN" and '".[web]"' in r for k, r in steps), "installs the web extra"
    users = [r for k, r in runtime if k == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert any(k == "HEALTHCHECK" and "/health" in r for k, r in runtime)
    assert any(k == "RUN" and "install -y --no-install-recommends git" in r for k, r in runtime)
    cmd = json.loads(next(r for k, r in runtime if k == "CMD"))
    assert cmd == ["scaffold", "serve"]
    env = " ".join(r for k, r in runtime if k == "ENV")
    assert "SCAFFOLD_SERVE_HOST=0.0.0.0" in env and "SCAFFOLD_SERVE_PORT=8000" in env
    assert ("EXPOSE", "8000") in runtime


def test_the_build_context_keeps_what_the_image_needs() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    copied = {r.split()[0] for k, r in instructions() if k == "COPY" and not r.startswith("--")}
    assert copied == {"pyproject.toml", "toolkit", "templates"}
    assert not copied & ignored and "README.md" not in ignored
    assert {".git", ".venv", "tests"} <= ignored


def test_the_compose_example_runs_two_replicas_behind_nginx() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    serve, nginx = compose["services"]["serve"], compose["services"]["nginx"]
    assert serve["build"]["context"] == ".."
    assert (ROOT / "deploy" / serve["build"]["context"] / "Dockerfile").is_file()
    assert serve["deploy"]["replicas"] == 2
    assert "ports" not in serve, "only nginx is published"
    grace = int(serve["stop_grace_period"].removesuffix("s"))
    assert grace > GRACEFUL_SECONDS, "compose must wait for the graceful shutdown"
    assert serve["environment"]["FORWARDED_ALLOW_IPS"] == "*"
    assert nginx["image"] == "nginx:1.27"
    assert nginx["depends_on"] == ["serve"]
    mount = nginx["volumes"][0].split(":")
    assert (ROOT / "deploy" / mount[0]).is_file()
    assert mount[1] == "/etc/nginx/conf.d/default.conf"


def test_nginx_balances_the_replicas() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"upstream serve \{\s*server serve:8000;", conf)
    assert "proxy_pass http://serve;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert conf.count("{") == conf.count("}")
