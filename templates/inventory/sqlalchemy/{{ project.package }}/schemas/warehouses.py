"""Warehouse shapes: create, rename, read."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ..core.catalog_rules import MAX_NAME_LENGTH
from .common import LEFT_OUT, InputModel, PatchModel
from .fields import Code


class WarehouseCreate(InputModel):
    """A new warehouse: a unique code and a name."""

    code: Code
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)


class WarehouseUpdate(PatchModel):
    """A new name; the code cannot change."""

    name: str = Field(default=LEFT_OUT, min_length=1, max_length=MAX_NAME_LENGTH)


class WarehousePublic(BaseModel):
    """A warehouse as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    created_at: datetime
