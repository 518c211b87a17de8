"""Products: admins create and change them; everyone signed in reads them.

A taken SKU is a ``Conflict``, also when two requests race (the unique constraint
decides). Products are never deleted: ``is_active`` false retires one.
"""

from operator import itemgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower

from ..core.catalog_rules import SKU_TAKEN
from ..core.errors import Conflict, NotFound
from ..core.keyset import Listing, Values
from ..core.serializers import is_valid_id
from ..cursors import Key, parse_str
from .models import Product

# The list's one sort, by SKU: unique, so the SKU alone orders the rows and makes the
# cursor (read from the page's serialized item); uq_products_sku serves it at any depth.
SORT = "sku"
SORT_KEYS = (Key(F("sku"), itemgetter("sku"), parse_str),)


def get_product(product_id: int | str | None) -> Product:
    """Return a product by id, or raise ``NotFound``."""
    product = None
    if product_id is not None and is_valid_id(product_id):
        product = Product.objects.filter(pk=int(product_id)).first()
    if product is None:
        raise NotFound("Product not found")
    return product


def list_products(query: dict[str, Any]) -> Listing:
    """Products sorted by SKU, filtered by category, status and text: a ``Listing``,
    compiled once per shape."""
    is_active = query.get("is_active")
    values = {} if query.get("category") is None else {"category": query["category"]}
    if query.get("q") is not None:
        values["q"] = query["q"].lower()

    def rows(values: Values) -> QuerySet[Product]:
        products = Product.objects.all()
        if "category" in values:
            products = products.filter(category=values["category"])
        if is_active is not None:
            products = products.filter(is_active=is_active)
        if "q" in values:
            # Lower-cased on both sides: SKUs compare exactly (binary) on MySQL.
            products = products.annotate(sku_lower=Lower("sku"), name_lower=Lower("name")).filter(
                Q(sku_lower__contains=values["q"]) | Q(name_lower__contains=values["q"])
            )
        return products.order_by("sku")

    return Listing(("products", is_active), values, Product, rows)


def _set_price(product: Product, price: dict[str, Any]) -> None:
    product.price_amount = price["amount"]
    product.price_currency = price["currency"]


def create_product(data: dict[str, Any]) -> Product:
    """Create a product; a taken SKU is a ``Conflict``."""
    if Product.objects.filter(sku=data["sku"]).exists():
        raise Conflict(SKU_TAKEN)
    fields = {name: value for name, value in data.items() if name != "price"}
    product = Product(**fields)
    _set_price(product, data["price"])
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        # Another request took the SKU between the check and the insert.
        raise Conflict(SKU_TAKEN) from None
    return product


def update_product(product_id: int | str, changes: dict[str, Any]) -> Product:
    """Change the given fields of a product; ``is_active`` false retires it."""
    product = get_product(product_id)
    for field, value in changes.items():
        if field == "price":
            _set_price(product, value)
        else:
            setattr(product, field, value)
    product.save()
    return product
