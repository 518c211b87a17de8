"""Customer shapes: create, update, read, list query."""

from rest_framework import serializers

from ..accounts.serializers import MAX_EMAIL_LENGTH as MAX_ADDRESS_LENGTH
from ..core.serializers import InputSerializer, PageQuerySerializer, Serializer
from .models import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH


class CustomerSerializer(Serializer):
    """A customer as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CustomerCreateSerializer(InputSerializer):
    """A new customer."""

    name = serializers.CharField(max_length=MAX_NAME_LENGTH)
    email = serializers.EmailField(max_length=MAX_ADDRESS_LENGTH)


class CustomerUpdateSerializer(InputSerializer):
    """Fields to change; those left out stay as they are (null is refused)."""

    name = serializers.CharField(max_length=MAX_NAME_LENGTH, required=False)
    email = serializers.EmailField(max_length=MAX_ADDRESS_LENGTH, required=False)


class CustomerQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /customers`` (newest first)."""

    # An empty filter finds no one, as on every framework (it is no 422).
    email = serializers.CharField(max_length=MAX_EMAIL_LENGTH, required=False, allow_blank=True)
