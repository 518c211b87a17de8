"""Fixtures of the contract suites: a client for SCAFFOLD_BASE_URL, fresh accounts, an admin.

Environment:
    SCAFFOLD_BASE_URL: where the service answers (required).
    SCAFFOLD_KIND: the kind being checked (for the endpoint list of the OpenAPI check).
    SCAFFOLD_ADMIN_EMAIL, SCAFFOLD_ADMIN_PASSWORD: an admin account, for admin checks.
    SCAFFOLD_ISSUER_KEYS, SCAFFOLD_ISSUER, SCAFFOLD_AUDIENCE: the issuer that a service
        made with the feature jwks trusts (toolkit/contracts/issuer.py). The suite then
        runs in issuer mode: accounts are tokens of that issuer, the admin one with the
        role "admin", and the checks of the service's own credentials (the modules in
        ``CREDENTIAL_MODULES``) give way to test_issued_tokens.py.
"""

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from .issuer import Issuer, b64url

PASSWORD = "contract-password-1"
#: The issuer the service trusts, or None when it issues its own tokens.
ISSUER = Issuer.from_env()
#: Checks of the service's own sign-up, sign-in, refresh and logout: not collected in
#: issuer mode (the service has none); test_issued_tokens.py runs only then.
CREDENTIAL_MODULES = frozenset({"test_auth.py", "test_sequences.py"})
ISSUER_MODULES = frozenset({"test_issued_tokens.py"})
#: The routes of the service's own credentials, which a service of the issuer's lacks.
ISSUED_ELSEWHERE = "/auth/"
#: A route whose DELETE is a 405 in either mode.
NO_DELETE = "/auth/login" if ISSUER is None else "/health"


def unprocessable(api: httpx.Client) -> httpx.Response:
    """A request that any service of the kind answers 422: a sign-in that is not an
    object, or in issuer mode an admin's page of users with a limit of 0."""
    if ISSUER is None:
        return api.post("/auth/login", json=[])
    token = ISSUER.mint(f"contract-admin-{uuid.uuid4().hex}", unique_email("admin"), ["admin"])
    return api.get("/users", params={"limit": 0}, headers={"Authorization": f"Bearer {token}"})


def pytest_ignore_collect(collection_path, config) -> bool | None:
    """In issuer mode, leave out the checks of credentials the service does not have."""
    skipped = CREDENTIAL_MODULES if ISSUER is not None else ISSUER_MODULES
    if collection_path.parent.name == "common" and collection_path.name in skipped:
        return True
    return None


#: Runs after everything else (issuer mode): until each worker of the service has fetched
#: the new key, a token of it may be refused for a few seconds (docs/jwks.md).
ROTATION_TEST = "test_a_rotated_key_is_taken_without_a_restart"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run schemathesis last: as an admin it may disable, demote or sign out anyone; and
    the issuer's key rotation after it."""
    items.sort(
        key=lambda item: (item.name == ROTATION_TEST, item.path.name == "test_schemathesis.py")
    )


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class Account:
    email: str
    password: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("SCAFFOLD_BASE_URL")
    if not url:
        pytest.fail("SCAFFOLD_BASE_URL is not set: run the suite with `scaffold contract KIND URL`")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=15) as client:
        yield client


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def sign_in(api: httpx.Client, email: str, password: str) -> Account:
    response = api.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    tokens = response.json()
    return Account(email, password, tokens["access_token"], tokens["refresh_token"])


def register(api: httpx.Client, prefix: str = "user") -> Account:
    """A new account, signed in: registered on the service, or, in issuer mode, a token
    of the issuer for a subject the service has never seen (no password, no refresh)."""
    email = unique_email(prefix)
    if ISSUER is not None:
        return Account(email, "", ISSUER.mint(f"contract-{uuid.uuid4().hex}", email), "")
    response = api.post("/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return sign_in(api, email, PASSWORD)


@pytest.fixture
def new_account(api: httpx.Client) -> Callable[[], Account]:
    def make(prefix: str = "user") -> Account:
        return register(api, prefix)

    return make


@pytest.fixture
def user(new_account: Callable[[], Account]) -> Account:
    return new_account()


@pytest.fixture
def other(new_account: Callable[[], Account]) -> Account:
    return new_account()


@pytest.fixture(scope="session")
def admin(api: httpx.Client) -> Account:
    if ISSUER is not None:
        email = unique_email("admin")
        token = ISSUER.mint(f"contract-admin-{uuid.uuid4().hex}", email, ["admin"])
        return Account(email, "", token, "")
    email = os.environ.get("SCAFFOLD_ADMIN_EMAIL")
    password = os.environ.get("SCAFFOLD_ADMIN_PASSWORD")
    if not (email and password):
        message = "no admin account given (SCAFFOLD_ADMIN_EMAIL, SCAFFOLD_ADMIN_PASSWORD)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return sign_in(api, email, password)


def assert_error(response: httpx.Response, status: int) -> dict:
    """The response has ``status`` and the common error body."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers.get("content-type", "").startswith("application/json")
    body = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"], body
    if status == 422:
        assert isinstance(body.get("errors"), list) and body["errors"], body
        for error in body["errors"]:
            assert set(error) == {"field", "message"}, error
            assert isinstance(error["field"], str) and isinstance(error["message"], str)
    return body


def error_fields(response: httpx.Response) -> set[str]:
    return {error["field"] for error in assert_error(response, 422)["errors"]}


def walk_cursor(
    api: httpx.Client, path: str, params: dict, headers: dict, total: int
) -> list[dict]:
    """Every item of ``path`` with ``params``, two a page by ``next_cursor``: each page a
    200 with this ``total`` and offset 0, the walk ending on a null ``next_cursor``."""
    items: list[dict] = []
    query = {**params, "limit": 2}
    while True:
        response = api.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["total"] == total and page["offset"] == 0, page
        items.extend(page["items"])
        if page["next_cursor"] is None:
            return items
        assert len(items) < total + 2, "the cursor walk does not end"
        query = {**params, "limit": 2, "cursor": page["next_cursor"]}


def assert_cursors_refused(
    api: httpx.Client, path: str, headers: dict, cursor: str, forged: list
) -> None:
    """``cursor`` (a real one) with an offset, the ``forged`` values encoded as a cursor,
    and strings that are no cursor, are each a 422 naming ``cursor``."""
    for values in forged:
        encoded = b64url(json.dumps(values).encode())
        response = api.get(path, params={"cursor": encoded}, headers=headers)
        assert "cursor" in error_fields(response), values
    for params in (
        {"cursor": cursor, "offset": 0},
        {"cursor": "not a cursor!"},
        {"cursor": "x" * 1025},
    ):
        response = api.get(path, params=params, headers=headers)
        assert "cursor" in error_fields(response), params


def is_utc_timestamp(value: str) -> bool:
    from datetime import datetime, timedelta

    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.utcoffset() == timedelta(0)


def with_role(api: httpx.Client, admin: Account, account: Account, role: str) -> Account:
    """Give ``account`` a role through the admin API; its tokens stay valid."""
    me = api.get("/users/me", headers=account.headers).json()
    response = api.patch(f"/users/{me['id']}", json={"role": role}, headers=admin.headers)
    assert response.status_code == 200, response.text
    return account
