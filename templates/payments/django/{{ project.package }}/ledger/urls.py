"""Routes of the balance and the ledger."""

from django.urls import path

from .views import BalanceView, LedgerView

urlpatterns = [
    path("balance", BalanceView.as_view(), name="balance"),
    path("ledger", LedgerView.as_view(), name="ledger"),
]
