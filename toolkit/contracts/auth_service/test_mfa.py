"""TOTP MFA: enrol, confirm, log in with a code (once), recovery codes (once each), disable."""

import httpx

from ..conftest import PASSWORD, Account, assert_error, error_fields
from .tokens import totp


def login(api: httpx.Client, email: str, otp_code: str | None = None) -> httpx.Response:
    payload = {"email": email, "password": PASSWORD}
    if otp_code is not None:
        payload["otp_code"] = otp_code
    return api.post("/auth/login", json=payload)


def enable(api: httpx.Client, account: Account) -> tuple[str, list[str]]:
    enrolled = api.post("/auth/mfa/enroll", headers=account.headers)
    assert enrolled.status_code == 200, enrolled.text
    secret = enrolled.json()["secret"]
    assert enrolled.json()["otpauth_uri"].startswith("otpauth://totp/")
    # The previous step's code, so that the current and the next stay free for logins.
    confirmed = api.post(
        "/auth/mfa/confirm", json={"code": totp(secret, steps=-1)}, headers=account.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    return secret, codes


def test_login_needs_a_code_once_mfa_is_on(api: httpx.Client, user: Account) -> None:
    secret, _ = enable(api, user)
    missing = assert_error(login(api, user.email), 401)
    assert "mfa" in missing["detail"].lower() and "otp_code" in missing["detail"]
    code = totp(secret)
    assert login(api, user.email, code).status_code == 200
    assert_error(login(api, user.email, code), 401)  # a code works once
    assert login(api, user.email, totp(secret, steps=1)).status_code == 200


def test_recovery_codes_work_once_each(api: httpx.Client, user: Account) -> None:
    _, codes = enable(api, user)
    assert login(api, user.email, codes[0]).status_code == 200
    assert_error(login(api, user.email, codes[0]), 401)
    assert login(api, user.email, codes[1]).status_code == 200


def test_enrolment_errors(api: httpx.Client, user: Account) -> None:
    assert_error(api.post("/auth/mfa/enroll"), 401)
    early = api.post("/auth/mfa/confirm", json={"code": "123456"}, headers=user.headers)
    assert_error(early, 409)
    secret = api.post("/auth/mfa/enroll", headers=user.headers).json()["secret"]
    wrong = str((int(totp(secret)) + 500_000) % 1_000_000).zfill(6)
    response = api.post("/auth/mfa/confirm", json={"code": wrong}, headers=user.headers)
    assert error_fields(response) == {"code"}
    assert login(api, user.email).status_code == 200  # not on until confirmed


def test_disabling_needs_the_password_and_a_code(api: httpx.Client, user: Account) -> None:
    secret, codes = enable(api, user)
    payload = {"password": "wrong-password", "otp_code": codes[0]}
    response = api.post("/auth/mfa/disable", json=payload, headers=user.headers)
    assert error_fields(response) == {"password"}
    payload = {"password": PASSWORD, "otp_code": totp(secret)}
    assert api.post("/auth/mfa/disable", json=payload, headers=user.headers).status_code == 204
    assert login(api, user.email).status_code == 200
    assert_error(api.post("/auth/mfa/disable", json=payload, headers=user.headers), 409)
