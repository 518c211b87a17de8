"""Routes of stock levels."""

from django.urls import path

from .views import StockViewSet

urlpatterns = [path("stock", StockViewSet.as_view({"get": "list"}), name="stock")]
