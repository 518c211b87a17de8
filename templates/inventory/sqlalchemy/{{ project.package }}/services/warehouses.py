"""Warehouses: admins create and rename them; everyone signed in reads them."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.catalog_rules import CODE_TAKEN
from ..core.errors import Conflict, NotFound
from ..models.users import Role, User
from ..models.warehouses import Warehouse
from ..schemas.common import MAX_ID, Page, PageQuery
from ..schemas.warehouses import WarehouseCreate, WarehousePublic, WarehouseUpdate
from .access import require_role
from .pagination import paginate


def get_warehouse(session: Session, warehouse_id: int) -> Warehouse:
    """Return a warehouse by id, or raise ``NotFound``."""
    warehouse = session.get(Warehouse, warehouse_id) if 0 < warehouse_id <= MAX_ID else None
    if warehouse is None:
        raise NotFound("Warehouse not found")
    return warehouse


def list_warehouses(session: Session, query: PageQuery) -> Page[WarehousePublic]:
    """One page of warehouses, sorted by code."""
    return paginate(session, select(Warehouse), query, WarehousePublic, [Warehouse.code])


def create_warehouse(session: Session, actor: User, data: WarehouseCreate) -> Warehouse:
    """Create a warehouse (admins); a taken code is a ``Conflict``, also under a race."""
    require_role(actor, Role.ADMIN)
    if session.scalar(select(Warehouse.id).where(Warehouse.code == data.code)) is not None:
        raise Conflict(CODE_TAKEN)
    warehouse = Warehouse(code=data.code, name=data.name)
    session.add(warehouse)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(CODE_TAKEN) from None
    return warehouse


def update_warehouse(
    session: Session, actor: User, warehouse_id: int, data: WarehouseUpdate
) -> Warehouse:
    """Rename a warehouse (admins)."""
    require_role(actor, Role.ADMIN)
    warehouse = get_warehouse(session, warehouse_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(warehouse, field, value)
    session.commit()
    return warehouse
