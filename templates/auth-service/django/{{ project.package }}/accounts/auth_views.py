"""The auth service's routes: login with MFA, logout, password change and reset.

Registration, refresh, /users/me and user management are the shared views of
accounts/views.py; accounts/urls.py routes both.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.authentication import signed_in
from ..core.errors import ValidationFailed
from ..core.openapi import error
from ..core.validation import validated_body
from ..password_resets import services as password_resets
from . import auth
from .auth_serializers import (
    LoginSerializer,
    LogoutSerializer,
    MessageSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
)
from .serializers import TokenPairSerializer
from .views import PublicView

THROTTLED = OpenApiResponse(description="Too many failed attempts (see Retry-After)")


class LoginView(PublicView):
    """``POST /auth/login``."""

    @extend_schema(
        summary="Exchange credentials for tokens",
        request=LoginSerializer,
        responses={
            200: TokenPairSerializer,
            401: error("Incorrect email, password or MFA code"),
            403: error("Account disabled"),
            429: THROTTLED,
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """Return an access token and a refresh token (with MFA on, send otp_code too)."""
        data = validated_body(request, LoginSerializer)
        return Response(auth.login(data["email"], data["password"], data.get("otp_code")))


class LogoutView(APIView):
    """``POST /auth/logout``."""

    @extend_schema(
        summary="End a session, or every session",
        request=LogoutSerializer,
        responses={204: None},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """End the session of the refresh token given, or every session with ``{}``."""
        # Ending every session takes an explicit {}: an empty request ends nothing.
        if request.META.get("CONTENT_LENGTH") in (None, "", "0"):
            raise ValidationFailed([{"field": "body", "message": "Field required"}])
        data = validated_body(request, LogoutSerializer)
        auth.logout(signed_in(request), data.get("refresh_token"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    """``POST /auth/password``."""

    @extend_schema(
        summary="Change your password",
        request=PasswordChangeSerializer,
        responses={204: None, 429: THROTTLED},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """Set a new password (the current one is checked); every session ends."""
        data = validated_body(request, PasswordChangeSerializer)
        auth.change_password(signed_in(request), data["current_password"], data["new_password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(PublicView):
    """``POST /auth/password-reset``."""

    @extend_schema(
        summary="Ask for a password reset token",
        request=PasswordResetRequestSerializer,
        responses={202: MessageSerializer},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """Always 202: an active account gets a single-use token through the outbox."""
        data = validated_body(request, PasswordResetRequestSerializer)
        detail = password_resets.request_reset(data["email"])
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicView):
    """``POST /auth/password-reset/confirm``."""

    @extend_schema(
        summary="Set a new password with a reset token",
        request=PasswordResetConfirmSerializer,
        responses={204: None},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """Set the new password; the token works once, and every session ends."""
        data = validated_body(request, PasswordResetConfirmSerializer)
        password_resets.confirm_reset(data["token"], data["new_password"])
        return Response(status=status.HTTP_204_NO_CONTENT)
