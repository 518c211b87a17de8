"""Reports computed from the stock levels: low stock, and stock value per currency."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.stock_rules import valuation_totals
from ..models.products import Product
from ..models.stock import StockLevel
from ..schemas.common import Page
from ..schemas.reports import (
    CurrencyValue,
    LowStockItem,
    LowStockQuery,
    Valuation,
    ValuationQuery,
)
from .warehouses import get_warehouse


def low_stock(session: Session, query: LowStockQuery) -> Page[LowStockItem]:
    """Active products whose stock across all warehouses is at or below their threshold."""
    totals = (
        select(StockLevel.product_id, func.sum(StockLevel.quantity).label("quantity"))
        .group_by(StockLevel.product_id)
        .subquery()
    )
    quantity = func.coalesce(totals.c.quantity, 0)
    statement = (
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.low_stock_threshold,
            quantity.label("quantity"),
        )
        .outerjoin(totals, totals.c.product_id == Product.id)
        .where(Product.is_active, quantity <= Product.low_stock_threshold)
    )
    if query.category is not None:
        statement = statement.where(Product.category == query.category)
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = session.execute(statement.order_by(Product.sku).limit(query.limit).offset(query.offset))
    items = [
        LowStockItem(
            product_id=row.id,
            sku=row.sku,
            name=row.name,
            low_stock_threshold=row.low_stock_threshold,
            # MySQL sums integers into DECIMAL.
            quantity=int(row.quantity),
        )
        for row in rows
    ]
    return Page[LowStockItem](items=items, total=total or 0, limit=query.limit, offset=query.offset)


def valuation(session: Session, query: ValuationQuery) -> Valuation:
    """The value of the stock (level x price) per currency, in minor units."""
    statement = (
        select(Product.price_currency, Product.price_amount, func.sum(StockLevel.quantity))
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(StockLevel.quantity > 0)
        .group_by(Product.id, Product.price_currency, Product.price_amount)
    )
    if query.warehouse_id is not None:
        get_warehouse(session, query.warehouse_id)
        statement = statement.where(StockLevel.warehouse_id == query.warehouse_id)
    totals = valuation_totals(session.execute(statement).all())
    return Valuation(totals=[CurrencyValue(**total) for total in totals])
