"""Routes of accounts: /auth/... (with the auth service's own) and /users/..."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import auth_views, views

router = SimpleRouter(trailing_slash=False)
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="register"),
    path("auth/login", auth_views.LoginView.as_view(), name="login"),
    path("auth/refresh", views.RefreshView.as_view(), name="refresh"),
    path("auth/logout", auth_views.LogoutView.as_view(), name="logout"),
    path("auth/password", auth_views.PasswordChangeView.as_view(), name="password"),
    path("auth/password-reset", auth_views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "auth/password-reset/confirm",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("users/me", views.MeView.as_view(), name="me"),
    *router.urls,
]
