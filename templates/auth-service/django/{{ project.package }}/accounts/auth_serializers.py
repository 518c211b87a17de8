"""Request and response shapes of the auth routes: login with MFA, sessions, passwords."""

from rest_framework import serializers

from ..core.serializers import InputSerializer, Serializer
from .serializers import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

# A 6-digit TOTP code, or a recovery code such as "3f9a1-c07be".
MAX_OTP_CODE_LENGTH = 32
MAX_RESET_TOKEN_LENGTH = 200


def new_password_field() -> serializers.CharField:
    """A new password: 8 to 128 characters, whitespace kept."""
    return serializers.CharField(
        min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH, trim_whitespace=False
    )


def otp_code_field(*, required: bool = True, allow_null: bool = False) -> serializers.CharField:
    """A TOTP code or a recovery code."""
    return serializers.CharField(
        max_length=MAX_OTP_CODE_LENGTH, required=required, allow_null=allow_null
    )


class LoginSerializer(InputSerializer):
    """Login takes any password length; with MFA on, ``otp_code`` is required.

    ``otp_code`` is a current TOTP code or an unused recovery code.
    """

    email = serializers.EmailField(max_length=MAX_EMAIL_LENGTH)
    password = serializers.CharField(max_length=MAX_PASSWORD_LENGTH, trim_whitespace=False)
    otp_code = otp_code_field(required=False, allow_null=True)


class LogoutSerializer(InputSerializer):
    """The session to end: the one of ``refresh_token``, or every session when it is left out."""

    refresh_token = serializers.CharField(required=False, allow_null=True)


class PasswordChangeSerializer(InputSerializer):
    """The current password, and the new one."""

    current_password = serializers.CharField(max_length=MAX_PASSWORD_LENGTH, trim_whitespace=False)
    new_password = new_password_field()


class PasswordResetRequestSerializer(InputSerializer):
    """The email of the account whose password was forgotten."""

    email = serializers.EmailField(max_length=MAX_EMAIL_LENGTH)


class PasswordResetConfirmSerializer(InputSerializer):
    """A reset token from the message, and the new password."""

    token = serializers.CharField(max_length=MAX_RESET_TOKEN_LENGTH)
    new_password = new_password_field()


class MessageSerializer(Serializer):
    """A message for the client, e.g. of a 202."""

    detail = serializers.CharField()
