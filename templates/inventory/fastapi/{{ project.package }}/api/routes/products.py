"""Products: everyone signed in reads them, admins create and change them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ...schemas.common import ErrorBody
from ...schemas.products import (
    ProductCreate,
    ProductPage,
    ProductPublic,
    ProductQuery,
    ProductUpdate,
)
from ...services import products
from ..access import ADMIN_ONLY
from ..deps import CurrentAdmin, CurrentUser, SessionDep
from ..responses import serialized

router = APIRouter(
    prefix="/products",
    tags=["products"],
    responses={401: {"model": ErrorBody, "description": "Not authenticated"}},
)
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Product not found"}
}
SKU_TAKEN: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "A product with this SKU exists"}
}


@router.get("", summary="List products")
@serialized
def list_products(
    session: SessionDep, _user: CurrentUser, query: Annotated[ProductQuery, Query()]
) -> ProductPage:
    """List products sorted by SKU, filtered by category, status and text."""
    return products.list_products(session, query)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProductPublic,
    responses={**ADMIN_ONLY, **SKU_TAKEN},
    summary="Create a product (admin)",
)
def create_product(data: ProductCreate, session: SessionDep, admin: CurrentAdmin) -> Any:
    """Create a product with a unique SKU."""
    return products.create_product(session, admin, data)


@router.get(
    "/{product_id:int}", response_model=ProductPublic, responses=NOT_FOUND, summary="Read a product"
)
def read_product(product_id: int, session: SessionDep, _user: CurrentUser) -> Any:
    """Return one product."""
    return products.get_product(session, product_id)


@router.patch(
    "/{product_id:int}",
    response_model=ProductPublic,
    responses={**ADMIN_ONLY, **NOT_FOUND},
    summary="Change a product (admin)",
)
def update_product(
    product_id: int, data: ProductUpdate, session: SessionDep, admin: CurrentAdmin
) -> Any:
    """Change the given fields of a product; ``is_active`` false retires it."""
    return products.update_product(session, admin, product_id, data)
