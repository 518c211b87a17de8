"""Warehouses: everyone signed in reads them, admins create and rename them."""

from flask import Blueprint

from ...models.users import User
from ...models.warehouses import Warehouse
from ...schemas.common import Page, PageQuery
from ...schemas.warehouses import WarehouseCreate, WarehousePublic, WarehouseUpdate
from ...services import warehouses
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("warehouses", __name__, url_prefix="/warehouses")
ADMIN_ONLY = {403: "Admin role required"}
NOT_FOUND = {404: "Warehouse not found"}


@bp.get("")
@endpoint(summary="List warehouses", query=PageQuery, response=Page[WarehousePublic], auth="user")
def list_warehouses(user: User, query: PageQuery) -> Page[WarehousePublic]:
    """List warehouses sorted by code."""
    return warehouses.list_warehouses(db_session(), query)


@bp.post("")
@endpoint(
    summary="Create a warehouse (admin)",
    body=WarehouseCreate,
    response=WarehousePublic,
    status=201,
    auth="admin",
    errors={**ADMIN_ONLY, 409: "Code taken"},
)
def create_warehouse(user: User, data: WarehouseCreate) -> Warehouse:
    """Create a warehouse with a unique code."""
    return warehouses.create_warehouse(db_session(), user, data)


@bp.get("/<int:warehouse_id>")
@endpoint(summary="Read a warehouse", response=WarehousePublic, auth="user", errors=NOT_FOUND)
def read_warehouse(user: User, warehouse_id: int) -> Warehouse:
    """Return one warehouse."""
    return warehouses.get_warehouse(db_session(), warehouse_id)


@bp.patch("/<int:warehouse_id>")
@endpoint(
    summary="Rename a warehouse (admin)",
    body=WarehouseUpdate,
    response=WarehousePublic,
    auth="admin",
    errors={**ADMIN_ONLY, **NOT_FOUND},
)
def update_warehouse(user: User, warehouse_id: int, data: WarehouseUpdate) -> Warehouse:
    """Change the name of a warehouse."""
    return warehouses.update_warehouse(db_session(), user, warehouse_id, data)
