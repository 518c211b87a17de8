"""TOTP multi-factor authentication of the signed-in user: ``/auth/mfa/...``."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.authentication import signed_in
from ..core.validation import validated_body
from . import services
from .serializers import (
    MfaCodeSerializer,
    MfaDisableSerializer,
    MfaEnrollmentSerializer,
    RecoveryCodesSerializer,
)

CONFLICT = OpenApiResponse(description="MFA is (not) on already")


class EnrollView(APIView):
    """``POST /auth/mfa/enroll``."""

    @extend_schema(
        summary="Start TOTP enrolment",
        request=None,
        responses={200: MfaEnrollmentSerializer, 409: CONFLICT},
        tags=["mfa"],
    )
    def post(self, request: Request) -> Response:
        """Return a new secret and its otpauth URI; MFA is on once a code confirms it."""
        return Response(services.enroll(signed_in(request)))


class ConfirmView(APIView):
    """``POST /auth/mfa/confirm``."""

    @extend_schema(
        summary="Confirm TOTP and turn MFA on",
        request=MfaCodeSerializer,
        responses={200: RecoveryCodesSerializer, 409: CONFLICT},
        tags=["mfa"],
    )
    def post(self, request: Request) -> Response:
        """Turn MFA on with a current code; the recovery codes are shown only this once."""
        data = validated_body(request, MfaCodeSerializer)
        return Response(services.confirm(signed_in(request), data["code"]))


class DisableView(APIView):
    """``POST /auth/mfa/disable``."""

    @extend_schema(
        summary="Turn MFA off",
        request=MfaDisableSerializer,
        responses={
            204: None,
            409: CONFLICT,
            429: OpenApiResponse(description="Too many failed attempts (see Retry-After)"),
        },
        tags=["mfa"],
    )
    def post(self, request: Request) -> Response:
        """Turn MFA off with the password and a TOTP or recovery code."""
        data = validated_body(request, MfaDisableSerializer)
        services.disable(signed_in(request), data["password"], data["otp_code"])
        return Response(status=status.HTTP_204_NO_CONTENT)
