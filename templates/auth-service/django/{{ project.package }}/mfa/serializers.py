"""TOTP enrolment, confirmation and turning it off."""

from rest_framework import serializers

from ..accounts.auth_serializers import MAX_OTP_CODE_LENGTH
from ..accounts.serializers import MAX_PASSWORD_LENGTH
from ..core.serializers import InputSerializer, Serializer


class MfaEnrollmentSerializer(Serializer):
    """The secret to put in an authenticator app, also as an ``otpauth://`` URI (QR code)."""

    secret = serializers.CharField()
    otpauth_uri = serializers.CharField()


class MfaCodeSerializer(InputSerializer):
    """A code from the authenticator app."""

    code = serializers.CharField(max_length=MAX_OTP_CODE_LENGTH)


class RecoveryCodesSerializer(Serializer):
    """Single-use codes that stand in for a TOTP code; they are shown only this once."""

    recovery_codes = serializers.ListField(child=serializers.CharField())


class MfaDisableSerializer(InputSerializer):
    """The password and a TOTP or recovery code, to turn MFA off."""

    password = serializers.CharField(max_length=MAX_PASSWORD_LENGTH, trim_whitespace=False)
    otp_code = serializers.CharField(max_length=MAX_OTP_CODE_LENGTH)
