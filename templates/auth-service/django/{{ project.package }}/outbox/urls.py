"""Routes of outbox: /admin/outbox."""

from django.urls import path

from . import views

urlpatterns = [path("admin/outbox", views.OutboxView.as_view(), name="outbox")]
