"""Warehouse shapes: create, rename, read."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core.catalog_rules import MAX_NAME_LENGTH
from .common import InputModel
from .fields import Code


class WarehouseCreate(InputModel):
    """A new warehouse: a unique code and a name."""

    code: Code
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)


class WarehouseUpdate(InputModel):
    """A new name; the code cannot change."""

    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)

    @field_validator("name")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value


class WarehousePublic(BaseModel):
    """A warehouse as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    created_at: datetime
