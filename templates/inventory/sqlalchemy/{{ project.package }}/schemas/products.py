"""Product shapes: create, update, read, list query."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core.catalog_rules import MAX_CATEGORY_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH
from ..core.money import Money
from .common import InputModel, PageQuery
from .fields import Code, Units


class ProductCreate(InputModel):
    """A new product; ``sku``, ``name`` and ``price`` are required."""

    sku: Code
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    price: Money
    category: str | None = Field(default=None, min_length=1, max_length=MAX_CATEGORY_LENGTH)
    is_active: bool = True
    low_stock_threshold: Units = 0


class ProductUpdate(InputModel):
    """Fields to change; those left out stay, null clears description and category.

    The SKU cannot change: it is how other systems know the product.
    """

    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    price: Money | None = None
    category: str | None = Field(default=None, min_length=1, max_length=MAX_CATEGORY_LENGTH)
    is_active: bool | None = None
    low_stock_threshold: Units | None = None

    @field_validator("name", "price", "is_active", "low_stock_threshold")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for values sent: leaving a field out keeps it, null is refused.
        if value is None:
            raise ValueError("cannot be null")
        return value


class ProductPublic(BaseModel):
    """A product as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    description: str | None
    price: Money
    category: str | None
    is_active: bool
    low_stock_threshold: int
    created_at: datetime
    updated_at: datetime


class ProductQuery(PageQuery):
    """Filters of ``GET /products``; ``q`` matches part of the SKU or the name."""

    category: str | None = Field(default=None, max_length=MAX_CATEGORY_LENGTH)
    is_active: bool | None = None
    q: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
