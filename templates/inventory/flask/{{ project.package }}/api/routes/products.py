"""Products: everyone signed in reads them, admins create and change them."""

from flask import Blueprint

from ...models.products import Product
from ...models.users import User
from ...schemas.products import (
    ProductCreate,
    ProductPage,
    ProductPublic,
    ProductQuery,
    ProductUpdate,
)
from ...services import products
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("products", __name__, url_prefix="/products")
ADMIN_ONLY = {403: "Admin role required"}
NOT_FOUND = {404: "Product not found"}


@bp.get("")
@endpoint(summary="List products", query=ProductQuery, response=ProductPage, auth="user")
def list_products(user: User, query: ProductQuery) -> ProductPage:
    """List products sorted by SKU, filtered by category, status and text."""
    return products.list_products(db_session(), query)


@bp.post("")
@endpoint(
    summary="Create a product (admin)",
    body=ProductCreate,
    response=ProductPublic,
    status=201,
    auth="admin",
    errors={**ADMIN_ONLY, 409: "A product with this SKU exists"},
)
def create_product(user: User, data: ProductCreate) -> Product:
    """Create a product with a unique SKU."""
    return products.create_product(db_session(), user, data)


@bp.get("/<int:product_id>")
@endpoint(summary="Read a product", response=ProductPublic, auth="user", errors=NOT_FOUND)
def read_product(user: User, product_id: int) -> Product:
    """Return one product."""
    return products.get_product(db_session(), product_id)


@bp.patch("/<int:product_id>")
@endpoint(
    summary="Change a product (admin)",
    body=ProductUpdate,
    response=ProductPublic,
    auth="admin",
    errors={**ADMIN_ONLY, **NOT_FOUND},
)
def update_product(user: User, product_id: int, data: ProductUpdate) -> Product:
    """Change the given fields of a product; ``is_active`` false retires it."""
    return products.update_product(db_session(), user, product_id, data)
