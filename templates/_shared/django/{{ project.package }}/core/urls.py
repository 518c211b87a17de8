"""Routes of core: /health and /openapi.json."""

from django.urls import path

from . import views

urlpatterns = [
    path("health", views.HealthView.as_view(), name="health"),
    path("openapi.json", views.OpenAPIView.as_view(), name="openapi"),
]
