"""Outbox messages, as admins read them."""

from typing import Any

from rest_framework import serializers

from ..core.serializers import PageQuerySerializer
from .models import OutboxMessage


class OutboxMessageSerializer(serializers.ModelSerializer[Any]):
    """One message waiting to be mailed."""

    class Meta:
        model = OutboxMessage
        fields = ("id", "recipient", "subject", "body", "created_at")
        read_only_fields = fields


class OutboxQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /admin/outbox``."""

    recipient = serializers.CharField(required=False, max_length=320)
