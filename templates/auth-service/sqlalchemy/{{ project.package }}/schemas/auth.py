"""Registration, login, token, logout, password change and password reset shapes."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .common import Email, InputModel

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
# A 6-digit TOTP code, or a recovery code such as "3f9a1-c07be".
MAX_OTP_CODE_LENGTH = 32


class Credentials(InputModel):
    """An email and a password (registration)."""

    email: Email
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)


class LoginIn(InputModel):
    """Login takes any password length, so a policy change never locks anyone out.

    With MFA on, ``otp_code`` is required: a current TOTP code or an unused recovery code.
    """

    email: Email
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    otp_code: str | None = Field(default=None, min_length=1, max_length=MAX_OTP_CODE_LENGTH)


class RefreshIn(InputModel):
    """A refresh token to exchange for a new pair (it works once)."""

    refresh_token: str = Field(min_length=1)


class LogoutIn(InputModel):
    """The session to end: the one of ``refresh_token``, or every session when it is left out."""

    refresh_token: str | None = Field(default=None, min_length=1)


class TokenPair(BaseModel):
    """The tokens a login or refresh returns; send the access token as ``Bearer``."""

    # Every field is sent, token_type too: the document marks them all required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = Field(default="bearer")


class PasswordChange(InputModel):
    """The current password, and the new one."""

    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)


class PasswordResetRequest(InputModel):
    """The email of the account whose password was forgotten."""

    email: Email


class PasswordResetConfirm(InputModel):
    """A reset token from the message, and the new password."""

    token: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)


class Message(BaseModel):
    """A message for the client, e.g. of a 202."""

    detail: str
