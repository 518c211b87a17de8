"""Routes of mfa: /auth/mfa/..."""

from django.urls import path

from . import views

urlpatterns = [
    path("auth/mfa/enroll", views.EnrollView.as_view(), name="mfa-enroll"),
    path("auth/mfa/confirm", views.ConfirmView.as_view(), name="mfa-confirm"),
    path("auth/mfa/disable", views.DisableView.as_view(), name="mfa-disable"),
]
