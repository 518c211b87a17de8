"""TOTP multi-factor authentication of the signed-in user."""

from flask import Blueprint

from ...models.users import User
from ...schemas.mfa import MfaCode, MfaDisable, MfaEnrollment, RecoveryCodes
from ...services import mfa
from ..deps import app_settings, db_session
from ..endpoint import endpoint

bp = Blueprint("mfa", __name__, url_prefix="/auth/mfa")
CONFLICT = {409: "MFA is (not) on already"}


@bp.post("/enroll")
@endpoint(summary="Start TOTP enrolment", response=MfaEnrollment, auth="user", errors=CONFLICT)
def enroll(user: User) -> MfaEnrollment:
    """Return a new secret and its otpauth URI; MFA is on once a code confirms it."""
    return mfa.enroll(db_session(), user, app_settings())


@bp.post("/confirm")
@endpoint(
    summary="Confirm TOTP and turn MFA on",
    body=MfaCode,
    response=RecoveryCodes,
    auth="user",
    errors=CONFLICT,
)
def confirm(user: User, data: MfaCode) -> RecoveryCodes:
    """Turn MFA on with a current code; the recovery codes are shown only this once."""
    return mfa.confirm(db_session(), user, data.code, app_settings())


@bp.post("/disable")
@endpoint(
    summary="Turn MFA off",
    body=MfaDisable,
    status=204,
    auth="user",
    errors={**CONFLICT, 429: "Too many failed attempts (see Retry-After)"},
)
def disable(user: User, data: MfaDisable) -> None:
    """Turn MFA off with the password and a TOTP or recovery code."""
    mfa.disable(db_session(), user, data, app_settings())
