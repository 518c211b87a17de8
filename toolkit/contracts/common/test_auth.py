"""Every kind: registration, login, refresh, the current user, and token checks."""

import base64
import json

import httpx

from ..conftest import (
    PASSWORD,
    Account,
    assert_error,
    error_fields,
    is_utc_timestamp,
    sign_in,
    unique_email,
)


def test_register_returns_the_public_user(api: httpx.Client) -> None:
    email = unique_email()
    response = api.post("/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body["id"], int | str)
    assert body["email"] == email
    assert isinstance(body["role"], str)
    assert is_utc_timestamp(body["created_at"])
    assert not {"password", "password_hash"} & set(body)


def test_register_refuses_a_taken_email_in_any_case(api: httpx.Client, user: Account) -> None:
    response = api.post("/auth/register", json={"email": user.email.upper(), "password": PASSWORD})
    assert_error(response, 409)


def test_register_validates(api: httpx.Client) -> None:
    response = api.post("/auth/register", json={"email": "nope", "password": "short"})
    assert error_fields(response) == {"email", "password"}
    missing = api.post("/auth/register", json={})
    assert error_fields(missing) == {"email", "password"}


def test_bodies_that_are_not_json_objects_are_422(api: httpx.Client) -> None:
    broken = api.post(
        "/auth/register", content=b'{"email": ', headers={"Content-Type": "application/json"}
    )
    assert_error(broken, 422)
    listed = api.post("/auth/register", json=["not", "an", "object"])
    assert_error(listed, 422)


def test_login_returns_bearer_tokens(api: httpx.Client, user: Account) -> None:
    response = api.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type"}
    assert body["token_type"] == "bearer"


def test_login_failures_look_alike(api: httpx.Client, user: Account) -> None:
    wrong = api.post("/auth/login", json={"email": user.email, "password": "wrong-password"})
    unknown = api.post("/auth/login", json={"email": unique_email(), "password": PASSWORD})
    assert assert_error(wrong, 401) == assert_error(unknown, 401)


def test_me(api: httpx.Client, user: Account) -> None:
    response = api.get("/users/me", headers=user.headers)
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_refresh_gives_working_tokens(api: httpx.Client, user: Account) -> None:
    response = api.post("/auth/refresh", json={"refresh_token": user.refresh_token})
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["token_type"] == "bearer"
    me = api.get("/users/me", headers={"Authorization": f"Bearer {fresh['access_token']}"})
    assert me.status_code == 200


def test_token_types_are_not_interchangeable(api: httpx.Client, user: Account) -> None:
    as_refresh = api.post("/auth/refresh", json={"refresh_token": user.access_token})
    assert_error(as_refresh, 401)
    as_access = api.get("/users/me", headers={"Authorization": f"Bearer {user.refresh_token}"})
    assert_error(as_access, 401)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_bad_tokens_are_401_with_a_bearer_challenge(api: httpx.Client, user: Account) -> None:
    header, payload, signature = user.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    # The first character: the last one carries bits that decoders ignore.
    tampered_signature = ("B" if signature[0] == "A" else "A") + signature[1:]
    candidates = {
        "missing": None,
        "garbage": "Bearer not-a-token",
        "basic scheme": f"Basic {user.access_token}",
        "alg none": "Bearer " + _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(claims) + ".",
        "bad signature": f"Bearer {header}.{payload}.{tampered_signature}",
        "forged claims": f"Bearer {header}.{_b64({**claims, 'sub': '1'})}.{signature}",
    }
    for name, value in candidates.items():
        headers = {"Authorization": value} if value else {}
        response = api.get("/users/me", headers=headers)
        assert_error(response, 401)
        assert response.headers.get("www-authenticate", "").lower().startswith("bearer"), name


def test_a_fresh_login_still_works_after_refresh(api: httpx.Client, user: Account) -> None:
    again = sign_in(api, user.email, PASSWORD)
    assert api.get("/users/me", headers=again.headers).status_code == 200


def test_concurrent_registrations_of_one_email_create_one_account(base_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    payload = {"email": unique_email("race"), "password": PASSWORD}

    def register(_: int) -> int:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            return client.post("/auth/register", json=payload).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(register, range(10)))
    assert statuses == [201] + [409] * 9, statuses
