"""Routes of core: /health, /ready and /openapi.json."""

from django.urls import path

from . import views

urlpatterns = [
    path("health", views.HealthView.as_view(), name="health"),
    path("ready", views.ReadyView.as_view(), name="ready"),
    path("openapi.json", views.OpenAPIView.as_view(), name="openapi"),
]
