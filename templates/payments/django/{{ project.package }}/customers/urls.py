"""Routes of customers."""

from rest_framework.routers import SimpleRouter

from .views import CustomerViewSet

router = SimpleRouter(trailing_slash=False)
router.register("customers", CustomerViewSet, basename="customer")

urlpatterns = router.urls
