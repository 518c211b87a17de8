"""The ledger and the balance it adds up to."""

from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select, true
from sqlalchemy.orm import Session

from ..core.payment_rules import EntryType, currency_balance
from ..models.ledger import LedgerEntry
from ..models.users import User
from ..schemas.common import Page
from ..schemas.ledger import Balance, CurrencyBalance, LedgerEntryPublic, LedgerQuery
from .pagination import paginate


def _visible_to(user: User) -> ColumnElement[bool]:
    return true() if user.is_admin else LedgerEntry.owner_id == user.id


def list_entries(session: Session, user: User, query: LedgerQuery) -> Page[LedgerEntryPublic]:
    """One page of the ledger entries ``user`` may see, newest first."""
    statement: Select[Any] = select(LedgerEntry).where(_visible_to(user))
    if query.currency is not None:
        statement = statement.where(LedgerEntry.currency == query.currency)
    if query.payment_id is not None:
        statement = statement.where(LedgerEntry.payment_id == query.payment_id)
    return paginate(session, statement, query, LedgerEntryPublic, [LedgerEntry.id.desc()])


def balance(session: Session, user: User) -> Balance:
    """Captured, refunded and net amounts per currency, summed from the ledger."""
    captured = func.sum(case((LedgerEntry.type == EntryType.CHARGE, LedgerEntry.amount), else_=0))
    refunded = func.sum(case((LedgerEntry.type == EntryType.REFUND, -LedgerEntry.amount), else_=0))
    rows = session.execute(
        select(LedgerEntry.currency, captured, refunded)
        .where(_visible_to(user))
        .group_by(LedgerEntry.currency)
        .order_by(LedgerEntry.currency)
    ).all()
    return Balance(
        balances=[
            CurrencyBalance(**currency_balance(currency, charged, returned))
            for currency, charged, returned in rows
        ]
    )
