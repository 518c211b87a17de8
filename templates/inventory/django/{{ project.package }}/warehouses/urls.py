"""Routes of warehouses."""

from rest_framework.routers import SimpleRouter

from .views import WarehouseViewSet

router = SimpleRouter(trailing_slash=False)
router.register("warehouses", WarehouseViewSet, basename="warehouse")

urlpatterns = router.urls
