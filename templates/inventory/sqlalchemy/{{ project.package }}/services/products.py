"""Products: admins create and change them; everyone signed in reads them."""

from operator import attrgetter
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.catalog_rules import SKU_TAKEN
from ..core.errors import Conflict, NotFound
from ..cursors import Key, parse_str
from ..models.products import Product
from ..models.users import Role, User
from ..schemas.common import MAX_ID
from ..schemas.products import (
    ProductCreate,
    ProductPage,
    ProductPublic,
    ProductQuery,
    ProductUpdate,
)
from .access import require_role
from .keyset import keyset_page, paginate_keyset

# The list's one sort, by SKU: unique, so the SKU alone orders the rows and makes the
# cursor; uq_products_sku serves the page at any depth.
SORT = "sku"
_SORT_KEYS = (Key(Product.sku, attrgetter("sku"), parse_str),)


def get_product(session: Session, product_id: int) -> Product:
    """Return a product by id, or raise ``NotFound``."""
    product = session.get(Product, product_id) if 0 < product_id <= MAX_ID else None
    if product is None:
        raise NotFound("Product not found")
    return product


def list_products(session: Session, query: ProductQuery) -> ProductPage:
    """One page of products, sorted by SKU, filtered by category, status and text, by
    offset or after a cursor; the total is counted up to 10,000."""
    statement: Select[Any] = select(Product)
    if query.category is not None:
        statement = statement.where(Product.category == query.category)
    if query.is_active is not None:
        statement = statement.where(Product.is_active == query.is_active)
    if query.q is not None:
        text = query.q.lower()
        statement = statement.where(
            or_(
                func.lower(Product.sku).contains(text, autoescape=True),
                func.lower(Product.name).contains(text, autoescape=True),
            )
        )
    found = paginate_keyset(session, statement, query, query.cursor, SORT, _SORT_KEYS)
    return keyset_page(ProductPage, ProductPublic, query, found)


def create_product(session: Session, actor: User, data: ProductCreate) -> Product:
    """Create a product (admins); a taken SKU is a ``Conflict``, also under a race."""
    require_role(actor, Role.ADMIN)
    if session.scalar(select(Product.id).where(Product.sku == data.sku)) is not None:
        raise Conflict(SKU_TAKEN)
    product = Product(
        sku=data.sku,
        name=data.name,
        description=data.description,
        price_amount=data.price.amount,
        price_currency=data.price.currency,
        category=data.category,
        is_active=data.is_active,
        low_stock_threshold=data.low_stock_threshold,
    )
    session.add(product)
    try:
        session.commit()
    except IntegrityError:
        # Another request took the SKU between the check and the insert.
        session.rollback()
        raise Conflict(SKU_TAKEN) from None
    return product


def update_product(session: Session, actor: User, product_id: int, data: ProductUpdate) -> Product:
    """Change the given fields of a product (admins); ``is_active`` false retires it."""
    require_role(actor, Role.ADMIN)
    product = get_product(session, product_id)
    changes = data.model_dump(exclude_unset=True, exclude={"price"})
    for field, value in changes.items():
        setattr(product, field, value)
    if data.price is not None:
        product.price_amount = data.price.amount
        product.price_currency = data.price.currency
    session.commit()
    return product
