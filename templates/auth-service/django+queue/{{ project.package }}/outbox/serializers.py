"""Outbox messages, as admins read them (with the job queue: how their sending goes)."""

from typing import Any

from rest_framework import serializers

from ..core.serializers import PageQuerySerializer
from .models import OutboxMessage


class OutboxMessageSerializer(serializers.ModelSerializer[Any]):
    """One message to mail, and where its sending is."""

    class Meta:
        model = OutboxMessage
        fields = (
            "id",
            "recipient",
            "subject",
            "body",
            "created_at",
            "status",
            "attempts",
            "sent_at",
            "last_error",
        )
        read_only_fields = fields


class OutboxQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /admin/outbox``."""

    recipient = serializers.CharField(required=False, max_length=320)
