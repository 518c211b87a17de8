"""Request and response shapes of accounts."""

from typing import Any

from rest_framework import serializers

from ..core.serializers import InputSerializer, PageQuerySerializer, Serializer, StrictBooleanField
from .models import Role, User

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
#: The longest address a mail system takes (RFC 5321 paths, less the angle brackets).
MAX_EMAIL_LENGTH = 254


class CredentialsSerializer(InputSerializer):
    """An email and a password of at least 8 characters (registration)."""

    email = serializers.EmailField(max_length=MAX_EMAIL_LENGTH)
    password = serializers.CharField(
        min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH, trim_whitespace=False
    )


class LoginSerializer(InputSerializer):
    """Login takes any password length, so a policy change never locks anyone out."""

    email = serializers.EmailField(max_length=MAX_EMAIL_LENGTH)
    password = serializers.CharField(max_length=MAX_PASSWORD_LENGTH, trim_whitespace=False)


class RefreshSerializer(InputSerializer):
    """A refresh token to exchange for a new pair."""

    refresh_token = serializers.CharField()


class TokenPairSerializer(Serializer):
    """The tokens a login or refresh returns; send the access token as ``Bearer``."""

    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.ChoiceField(choices=["bearer"])


class UserSerializer(serializers.ModelSerializer[Any]):
    """A user as the API shows it (never the password hash)."""

    # Plain text, as stored: the address was checked when it was registered.
    email = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "email", "role", "is_active", "created_at")
        read_only_fields = fields


class UserAdminUpdateSerializer(InputSerializer):
    """What an admin may change about a user: the role, and whether they may sign in."""

    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = StrictBooleanField(required=False)


class UserQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /users``."""

    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)
