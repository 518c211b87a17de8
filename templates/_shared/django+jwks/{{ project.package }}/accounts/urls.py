"""Routes of accounts: /users/... only; users sign in with the issuer (no /auth/ here)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=False)
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [path("users/me", views.MeView.as_view(), name="me"), *router.urls]
