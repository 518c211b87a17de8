"""Routes of the stock ledger: ``/movements``."""

from django.urls import path

from ..stock.views import MovementViewSet

urlpatterns = [
    path(
        "movements",
        MovementViewSet.as_view({"get": "list", "post": "create"}),
        name="movements",
    ),
]
