"""Ledger and balance shapes."""

from rest_framework import serializers

from ..core.money import CurrencyField
from ..core.serializers import IdField, PageQuerySerializer, Serializer
from .models import EntryType


class LedgerEntrySerializer(Serializer):
    """A ledger entry: +amount for a charge, -amount for a refund."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    type = serializers.ChoiceField(choices=EntryType.choices, read_only=True)
    amount = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    payment_id = serializers.IntegerField(read_only=True)
    refund_id = serializers.IntegerField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class LedgerQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /ledger`` (newest first)."""

    currency = CurrencyField(required=False)
    payment_id = IdField(required=False)


class CurrencyBalanceSerializer(Serializer):
    """The money of one currency: captured minus refunded is net."""

    currency = serializers.CharField(read_only=True)
    captured = serializers.IntegerField(read_only=True)
    refunded = serializers.IntegerField(read_only=True)
    net = serializers.IntegerField(read_only=True)


class BalanceSerializer(Serializer):
    """One entry per currency that has a ledger entry, by currency code (not paginated)."""

    balances = CurrencyBalanceSerializer(many=True, read_only=True)
