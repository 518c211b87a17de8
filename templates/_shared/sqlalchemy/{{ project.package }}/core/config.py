"""Settings read from the environment, or from a local .env file."""

import warnings
from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_PREFIX = "change-me"


class Settings(BaseSettings):
    """Every setting of the service; names match the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    # Required: there is no default secret, so a missing one fails at start-up.
    secret_key: str = Field(min_length=32)
    database_url: str = "sqlite:///./app.db"
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_expire_minutes: int = Field(default=30, gt=0)
    refresh_token_expire_minutes: int = Field(default=60 * 24 * 7, gt=0)
    # argon2id cost (RFC 9106 low-memory profile); tests lower it to stay fast.
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=64 * 1024, ge=32)
    first_admin_email: str | None = None
    first_admin_password: str | None = None

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        if self.secret_key.startswith(PLACEHOLDER_PREFIX):
            message = "SECRET_KEY is the placeholder from .env.example; set a random one"
            if self.environment != "development":
                raise ValueError(message)
            warnings.warn(message, stacklevel=2)
        return self


@lru_cache
def get_settings() -> Settings:
    """Return the settings of this process (read once)."""
    return Settings()
