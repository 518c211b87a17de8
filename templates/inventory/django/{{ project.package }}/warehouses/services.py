"""Warehouses: admins create and rename them; everyone signed in reads them."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ..core.catalog_rules import CODE_TAKEN
from ..core.errors import Conflict, NotFound
from ..core.serializers import is_valid_id
from .models import Warehouse


def get_warehouse(warehouse_id: int | str | None) -> Warehouse:
    """Return a warehouse by id, or raise ``NotFound``."""
    warehouse = None
    if warehouse_id is not None and is_valid_id(warehouse_id):
        warehouse = Warehouse.objects.filter(pk=int(warehouse_id)).first()
    if warehouse is None:
        raise NotFound("Warehouse not found")
    return warehouse


def list_warehouses() -> QuerySet[Warehouse]:
    """Warehouses sorted by code."""
    return Warehouse.objects.order_by("code")


def create_warehouse(data: dict[str, Any]) -> Warehouse:
    """Create a warehouse; a taken code is a ``Conflict``, also under a race."""
    if Warehouse.objects.filter(code=data["code"]).exists():
        raise Conflict(CODE_TAKEN)
    warehouse = Warehouse(**data)
    try:
        with transaction.atomic():
            warehouse.save()
    except IntegrityError:
        raise Conflict(CODE_TAKEN) from None
    return warehouse


def update_warehouse(warehouse_id: int | str, changes: dict[str, Any]) -> Warehouse:
    """Rename a warehouse."""
    warehouse = get_warehouse(warehouse_id)
    for field, value in changes.items():
        setattr(warehouse, field, value)
    warehouse.save()
    return warehouse
