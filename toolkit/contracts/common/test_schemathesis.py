"""Every kind: schemathesis, with every check, finds no case where service and document part.

schemathesis reads the served ``/openapi.json`` and sends what it describes: valid
requests (which must be accepted), invalid ones (which must be refused), every status
code and response body checked against the document, undocumented methods (405 with
``Allow``), requests without the token (401), and sequences that follow the links it
infers (made things must be readable, deleted ones gone). Its settings
(``schemathesis.toml``: bounded and seeded) and the one narrowed check
(``schemathesis_hooks.py``) sit beside this suite, with their reasons.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from ..conftest import Account, with_role
from ..schemathesis_rules import SAFE_URL

CONTRACTS = Path(__file__).resolve().parent.parent
#: The end of schemathesis's report that a failure shows (its cases come first).
SHOWN_LINES = 150


def test_schemathesis_with_every_check(
    api: httpx.Client, base_url: str, admin: Account, user: Account, tmp_path: Path
) -> None:
    # An admin of its own: schemathesis may sign it out, lock it by failed password
    # changes or enroll it in MFA, and the suite's admin stays as it was (its changes of
    # the suite's admin go to this account instead, see schemathesis_hooks.py). It runs
    # last (conftest.py), since it may still disable or demote anyone else.
    runner = with_role(api, admin, user, "admin")
    argv = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONTRACTS / "schemathesis.toml"),
        "--no-color",
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        # Run in the narrowed forms of schemathesis_hooks.py, which says why.
        "--exclude-checks",
        "positive_data_acceptance,negative_data_rejection,status_code_conformance",
        "--header",
        f"Authorization: Bearer {runner.access_token}",
        "--workers",
        "1",
    ]
    env = dict(
        os.environ,
        SCHEMATHESIS_HOOKS="toolkit.contracts.schemathesis_hooks",
        SCAFFOLD_KEPT_USER_IDS=str(_user_id(api, admin)),
        SCAFFOLD_RUNNER_USER_ID=str(_user_id(api, runner)),
    )
    completed = subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    unsafe = _remove_webhooks(api, runner)
    report = (completed.stdout + completed.stderr).strip().splitlines()
    assert completed.returncode == 0, "\n".join(report[-SHOWN_LINES:])
    assert not unsafe, f"webhooks registered outside {SAFE_URL}: {unsafe[:5]}"


def _user_id(api: httpx.Client, account: Account) -> int:
    user_id: int = api.get("/users/me", headers=account.headers).json()["id"]
    return user_id


def _remove_webhooks(api: httpx.Client, runner: Account) -> list[str]:
    """Remove the webhooks the run registered; return those that were not at home.

    The payments worker posts events to them: schemathesis_hooks.before_call rewrites
    every URL to the host that never resolves, so that nothing leaves this machine, and
    this says that it did. Removed, they leave the worker no backlog of deliveries.
    """
    if "/webhooks" not in api.get("/openapi.json").json()["paths"]:
        return []
    me = _user_id(api, runner)
    mine, offset = [], 0
    while True:
        # Every one is listed, as the runner is an admin (payments has no logout).
        response = api.get(
            "/webhooks", params={"limit": 100, "offset": offset}, headers=runner.headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        mine += [hook for hook in page["items"] if hook["owner_id"] == me]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            break
    for hook in mine:
        api.delete(f"/webhooks/{hook['id']}", headers=runner.headers)
    return [hook["url"] for hook in mine if not hook["url"].startswith(SAFE_URL)]
