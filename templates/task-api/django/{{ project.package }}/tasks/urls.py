"""Routes of tasks."""

from rest_framework.routers import SimpleRouter

from .views import TaskViewSet

router = SimpleRouter(trailing_slash=False)
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = router.urls
