"""Product shapes: create, update, read, list query and page."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ..core.catalog_rules import MAX_CATEGORY_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH
from ..core.money import Money
from .common import LEFT_OUT, InputModel, Page, PageQuery, PatchModel
from .fields import Code, Units


class ProductCreate(InputModel):
    """A new product; ``sku``, ``name`` and ``price`` are required."""

    sku: Code
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    price: Money
    category: str | None = Field(default=None, min_length=1, max_length=MAX_CATEGORY_LENGTH)
    is_active: StrictBool = True
    low_stock_threshold: Units = 0


class ProductUpdate(PatchModel):
    """Fields to change; those left out stay, null clears description and category.

    The SKU cannot change: it is how other systems know the product.
    """

    name: str = Field(default=LEFT_OUT, min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    price: Money = Field(default=LEFT_OUT)
    category: str | None = Field(default=None, min_length=1, max_length=MAX_CATEGORY_LENGTH)
    is_active: StrictBool = Field(default=LEFT_OUT)
    low_stock_threshold: Units = Field(default=LEFT_OUT)


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
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor: str | None = Field(default=None, min_length=1, max_length=1024)


class ProductPage(Page[ProductPublic]):
    """One page of products. ``total`` counts the matching products up to 10,000 (a list
    with more reports 10,000); ``next_cursor`` is the ``cursor`` of the next page, null
    on the last one."""

    next_cursor: str | None
