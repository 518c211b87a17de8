"""TOTP multi-factor authentication of the signed-in user."""

from typing import Any

from fastapi import APIRouter, status

from ...schemas.common import ErrorBody
from ...schemas.mfa import MfaCode, MfaDisable, MfaEnrollment, RecoveryCodes
from ...services import mfa
from ..deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(
    prefix="/auth/mfa",
    tags=["mfa"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "MFA is (not) on already"}
}


@router.post("/enroll", responses=CONFLICT, summary="Start TOTP enrolment")
def enroll(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> MfaEnrollment:
    """Return a new secret and its otpauth URI; MFA is on once a code confirms it."""
    return mfa.enroll(session, user, settings)


@router.post("/confirm", responses=CONFLICT, summary="Confirm TOTP and turn MFA on")
def confirm(
    data: MfaCode, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> RecoveryCodes:
    """Turn MFA on with a current code; the recovery codes are shown only this once."""
    return mfa.confirm(session, user, data.code, settings)


@router.post(
    "/disable",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        **CONFLICT,
        429: {"model": ErrorBody, "description": "Too many failed attempts (see Retry-After)"},
    },
    summary="Turn MFA off",
)
def disable(
    data: MfaDisable, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> None:
    """Turn MFA off with the password and a TOTP or recovery code."""
    mfa.disable(session, user, data, settings)
