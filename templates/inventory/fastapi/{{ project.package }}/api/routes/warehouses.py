"""Warehouses: everyone signed in reads them, admins create and rename them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody, Page, PageQuery
from ...schemas.warehouses import WarehouseCreate, WarehousePublic, WarehouseUpdate
from ...services import warehouses
from ..access import ADMIN_ONLY
from ..deps import CurrentAdmin, CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/warehouses",
    tags=["warehouses"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Warehouse not found"}
}


@router.get("", summary="List warehouses")
@serialized
def list_warehouses(
    session: SessionDep, _user: CurrentUser, query: Annotated[PageQuery, Query()]
) -> Page[WarehousePublic]:
    """List warehouses sorted by code."""
    return warehouses.list_warehouses(session, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WarehousePublic,
    responses={**ADMIN_ONLY, 409: {"model": ErrorBody, "description": "Code taken"}},
    summary="Create a warehouse (admin)",
)
def create_warehouse(data: WarehouseCreate, session: SessionDep, admin: CurrentAdmin) -> Any:
    """Create a warehouse with a unique code."""
    return warehouses.create_warehouse(session, admin, data)


@router.get(
    "/{warehouse_id:int}",
    response_model=WarehousePublic,
    responses=NOT_FOUND,
    summary="Read a warehouse",
)
def read_warehouse(warehouse_id: int, session: SessionDep, _user: CurrentUser) -> Any:
    """Return one warehouse."""
    return warehouses.get_warehouse(session, warehouse_id)


@router.patch(
    "/{warehouse_id:int}",
    response_model=WarehousePublic,
    responses={**ADMIN_ONLY, **NOT_FOUND},
    summary="Rename a warehouse (admin)",
)
def update_warehouse(
    warehouse_id: int, data: WarehouseUpdate, session: SessionDep, admin: CurrentAdmin
) -> Any:
    """Change the name of a warehouse."""
    return warehouses.update_warehouse(session, admin, warehouse_id, data)
