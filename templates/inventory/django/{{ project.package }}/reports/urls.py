"""Routes of reports."""

from django.urls import path

from .views import LowStockView, ValuationView

urlpatterns = [
    path("reports/low-stock", LowStockView.as_view(), name="low-stock"),
    path("reports/valuation", ValuationView.as_view(), name="valuation"),
]
