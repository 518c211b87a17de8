"""Registration, login and token shapes."""

from typing import Literal

from pydantic import EmailStr, Field

from .common import InputModel

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


class Credentials(InputModel):
    """An email and a password (registration and login)."""

    email: EmailStr
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)


class LoginIn(InputModel):
    """Login takes any password length, so a policy change never locks anyone out."""

    email: EmailStr
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class RefreshIn(InputModel):
    """A refresh token to exchange for a new pair."""

    refresh_token: str = Field(min_length=1)


class TokenPair(InputModel):
    """The tokens a login or refresh returns; send the access token as ``Bearer``."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = Field(default="bearer")
