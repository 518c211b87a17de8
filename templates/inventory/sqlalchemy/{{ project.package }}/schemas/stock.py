"""Stock shapes: levels, movements to record, the ledger and its filters."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationInfo, field_validator

from ..core.stock_rules import MAX_QUANTITY, MAX_REASON_LENGTH, MovementType, movement_problem
from .common import InputModel, PageQuery
from .fields import Id


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

    @field_validator("quantity", "warehouse_id", "from_warehouse_id", "to_warehouse_id", "reason")
    @classmethod
    def _fits_the_type(cls, value: object, info: ValidationInfo) -> object:
        # Each error names the field at fault (core/stock_rules.py says what is wrong).
        problem = movement_problem(
            info.field_name or "",
            value,
            info.data.get("type"),
            from_warehouse_id=info.data.get("from_warehouse_id"),
        )
        if problem is not None:
            raise ValueError(problem)
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
