"""Every kind made with the feature jwks: it trusts the issuer's access tokens, and only them.

Collected in issuer mode only (conftest.py): the service has no credentials of its own,
its users are the issuer's subjects, made on their first request. A token wrong in
one way (issuer, audience, lifetime, type, algorithm, key) is a 401 with the JSON
error body; a rotation of the issuer's key is taken without a restart.
"""

import hashlib
import hmac
import json
import time
import uuid

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..conftest import ISSUER, Account, assert_error, unique_email
from ..issuer import Issuer, b64url
from ..races import racing

pytestmark = pytest.mark.skipif(ISSUER is None, reason="issuer mode only")
#: How long a worker may go on refusing a new key of the issuer (docs/jwks.md).
ROTATION_SECONDS = 10


def issuer() -> Issuer:
    assert ISSUER is not None
    return ISSUER


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def subject() -> str:
    return f"contract-{uuid.uuid4().hex}"


def test_the_service_has_no_credentials_of_its_own(api: httpx.Client) -> None:
    body = {"email": unique_email(), "password": "contract-password-1"}
    for path in ("/auth/register", "/auth/login", "/auth/refresh", "/auth/logout"):
        assert_error(api.post(path, json=body), 404)


def test_a_new_subject_becomes_a_user_and_keeps_it(api: httpx.Client) -> None:
    sub, email = subject(), unique_email()
    first = api.get("/users/me", headers=bearer(issuer().mint(sub, email)))
    assert first.status_code == 200, first.text
    assert first.json()["email"] == email
    # Another token of the same subject, with the email it has now at the issuer.
    moved = unique_email("moved")
    again = api.get("/users/me", headers=bearer(issuer().mint(sub, moved)))
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"] and again.json()["email"] == moved


def test_an_email_of_another_subject_is_a_conflict(api: httpx.Client, user: Account) -> None:
    assert api.get("/users/me", headers=user.headers).status_code == 200
    taken = api.get("/users/me", headers=bearer(issuer().mint(subject(), user.email)))
    assert_error(taken, 409)
    assert api.get("/users/me", headers=user.headers).status_code == 200


def test_a_first_request_repeated_at_once_makes_one_user(base_url: str, api: httpx.Client) -> None:
    token = issuer().mint(subject(), unique_email("racing"))
    with racing(base_url, lanes=6) as at_once:
        answers = at_once(*[lambda client: client.get("/users/me", headers=bearer(token))] * 6)
    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1


def test_roles_of_the_token_make_an_admin(api: httpx.Client) -> None:
    sub, email = subject(), unique_email()
    assert_error(api.get("/users", headers=bearer(issuer().mint(sub, email))), 403)
    admin = api.get("/users", headers=bearer(issuer().mint(sub, email, ["admin"])))
    assert admin.status_code == 200, admin.text


def _forged_hs256(token_of: Issuer) -> str:
    """A token signed HS256 with the issuer's public key as the secret (alg confusion)."""
    public = token_of.private_keys()[-1].public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    good = token_of.mint(subject(), unique_email())
    payload = good.split(".")[1]
    signature = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def _unsigned() -> str:
    good = issuer().mint(subject(), unique_email())
    header = b64url(b'{"alg":"none","typ":"JWT"}')
    return f"{header}.{good.split('.')[1]}."


@pytest.mark.parametrize(
    "wrong",
    [
        "issuer",
        "audience",
        "expired",
        "refresh",
        "no-subject",
        "no-kid",
        "unknown-key",
        "hs256",
        "none",
        "garbage",
    ],
)
def test_a_token_wrong_in_one_way_is_a_401(api: httpx.Client, wrong: str) -> None:
    sub, email = subject(), unique_email()
    made = issuer()
    tokens = {
        "issuer": lambda: made.mint(sub, email, claims={"iss": made.issuer + "/elsewhere"}),
        "audience": lambda: made.mint(sub, email, claims={"aud": "another-service"}),
        "expired": lambda: made.mint(sub, email, lifetime=-120),
        "refresh": lambda: made.mint(sub, email, claims={"type": "refresh"}),
        "no-subject": lambda: made.mint(sub, email, claims={"sub": None}),
        "no-kid": lambda: made.mint(sub, email, header={"kid": None}),
        "unknown-key": lambda: made.mint(
            sub, email, key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "hs256": lambda: _forged_hs256(made),
        "none": _unsigned,
        "garbage": lambda: "not.a.token",
    }
    assert_error(api.get("/users/me", headers=bearer(tokens[wrong]())), 401)


def test_a_rotated_key_is_taken_without_a_restart(api: httpx.Client, base_url: str) -> None:
    """Run last (conftest.py): each worker takes the new key within ROTATION_SECONDS."""
    made = issuer()
    before = made.mint(subject(), unique_email())
    assert api.get("/users/me", headers=bearer(before)).status_code == 200
    made.rotate()
    after = made.mint(subject(), unique_email())
    # A worker asks the issuer again for an unknown key at most every ROTATION_SECONDS
    # (a flood of made-up kids must not flood the issuer): each of them takes the new key
    # within that time, and from then on every request is a 200. Each request on a new
    # connection, so that they reach every worker.
    deadline, streak = time.monotonic() + ROTATION_SECONDS + 5, 0
    while streak < 16:
        fresh = httpx.get(f"{base_url}/users/me", headers=bearer(after), timeout=15)
        streak = streak + 1 if fresh.status_code == 200 else 0
        if streak == 0:
            assert_error(fresh, 401)
            assert time.monotonic() < deadline, f"the new key is not taken: {fresh.text}"
            time.sleep(0.5)
    # A token of the previous key stays good while the issuer still publishes it.
    assert api.get("/users/me", headers=bearer(before)).status_code == 200
