"""TOTP enrolment, confirmation and turning it off."""

from pydantic import BaseModel, Field

from .auth import MAX_OTP_CODE_LENGTH, MAX_PASSWORD_LENGTH
from .common import InputModel


class MfaEnrollment(BaseModel):
    """The secret to put in an authenticator app, also as an ``otpauth://`` URI (QR code)."""

    secret: str
    otpauth_uri: str


class MfaCode(InputModel):
    """A code from the authenticator app."""

    code: str = Field(min_length=1, max_length=MAX_OTP_CODE_LENGTH)


class RecoveryCodes(BaseModel):
    """Single-use codes that stand in for a TOTP code; they are shown only this once."""

    recovery_codes: list[str]


class MfaDisable(InputModel):
    """The password and a TOTP or recovery code, to turn MFA off."""

    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    otp_code: str = Field(min_length=1, max_length=MAX_OTP_CODE_LENGTH)
