"""Registration, login and token shapes."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .common import Email, InputModel

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


class Credentials(InputModel):
    """An email and a password (registration and login)."""

    email: Email
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)


class LoginIn(InputModel):
    """Login takes any password length, so a policy change never locks anyone out."""

    email: Email
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class RefreshIn(InputModel):
    """A refresh token to exchange for a new pair."""

    refresh_token: str = Field(min_length=1)


class TokenPair(BaseModel):
    """The tokens a login or refresh returns; send the access token as ``Bearer``."""

    # Every field is sent, token_type too: the document marks them all required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = Field(default="bearer")
