"""Stock shapes: levels, movements to record, the ledger and its filters."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationInfo, field_validator

from ..models.stock import MovementType
from .common import InputModel, PageQuery
from .fields import MAX_QUANTITY, Id

MAX_REASON_LENGTH = 500
_SINGLE_WAREHOUSE = {MovementType.RECEIVE, MovementType.SHIP, MovementType.ADJUST}


class MovementCreate(InputModel):
    """A movement to record.

    ``receive``, ``ship`` and ``adjust`` name a ``warehouse_id``; a ``transfer`` names
    ``from_warehouse_id`` and ``to_warehouse_id``. ``quantity`` is a positive number
    of units, except for an ``adjust``: signed, not zero, and it needs a ``reason``.
    """

    # The field validators below read ``type`` (validated first) from ``info.data``, so
    # that each error names the field at fault; validate_default runs them when a
    # field is left out.
    type: MovementType
    product_id: Id
    quantity: StrictInt = Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY)
    warehouse_id: Id | None = Field(default=None, validate_default=True)
    from_warehouse_id: Id | None = Field(default=None, validate_default=True)
    to_warehouse_id: Id | None = Field(default=None, validate_default=True)
    reason: str | None = Field(
        default=None, min_length=1, max_length=MAX_REASON_LENGTH, validate_default=True
    )

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: int, info: ValidationInfo) -> int:
        if value == 0:
            raise ValueError("must not be zero")
        kind = info.data.get("type")
        if value < 0 and kind is not None and kind is not MovementType.ADJUST:
            raise ValueError("must be positive (only an adjust may be negative)")
        return value

    @field_validator("warehouse_id")
    @classmethod
    def _single_warehouse(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("type")
        if kind in _SINGLE_WAREHOUSE and value is None:
            raise ValueError(f"is required for a {kind}")
        if kind is MovementType.TRANSFER and value is not None:
            raise ValueError("is not used by a transfer (it takes from_ and to_warehouse_id)")
        return value

    @field_validator("from_warehouse_id", "to_warehouse_id")
    @classmethod
    def _transfer_warehouses(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("type")
        if kind is MovementType.TRANSFER and value is None:
            raise ValueError("is required for a transfer")
        if kind in _SINGLE_WAREHOUSE and value is not None:
            raise ValueError("is only used by a transfer: give warehouse_id")
        same = value is not None and value == info.data.get("from_warehouse_id")
        if info.field_name == "to_warehouse_id" and same:
            raise ValueError("must differ from from_warehouse_id")
        return value

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("type") is MovementType.ADJUST:
            raise ValueError("is required for an adjust")
        return value


class MovementPublic(BaseModel):
    """One entry of the ledger: ``quantity`` is the signed change of one level."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    type: MovementType
    product_id: int
    warehouse_id: int
    quantity: int
    reason: str | None
    transfer_id: str | None
    counterpart_warehouse_id: int | None
    created_by_id: int
    created_at: datetime


class StockLevelPublic(BaseModel):
    """How many units of a product one warehouse holds."""

    model_config = ConfigDict(from_attributes=True)

    product_id: int
    warehouse_id: int
    quantity: int
    updated_at: datetime


class MovementReceipt(BaseModel):
    """What ``POST /movements`` wrote: its movements (two for a transfer) and the
    levels they changed, as they stand after the movement.
    """

    movements: list[MovementPublic]
    levels: list[StockLevelPublic]


class StockQuery(PageQuery):
    """Filters of ``GET /stock``."""

    product_id: Id | None = None
    warehouse_id: Id | None = None


class MovementQuery(PageQuery):
    """Filters of ``GET /movements``."""

    product_id: Id | None = None
    warehouse_id: Id | None = None
    type: MovementType | None = None
