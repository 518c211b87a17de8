"""Payment and refund shapes: the card comes in, only its brand and last four go out."""

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..core.cards import card_digits, expiry_problem
from ..core.money import AmountField, CurrencyField
from ..core.serializers import (
    MAX_ID,
    IdField,
    InputSerializer,
    PageQuerySerializer,
    Serializer,
    StrictCharField,
    StrictIntegerField,
)
from .models import PaymentStatus


@extend_schema_field({"type": "string", "pattern": "^[0-9]{3,4}$"})
class CvcField(StrictCharField):
    """3 or 4 digits, as sent (no whitespace is trimmed)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("validators", [RegexValidator(r"^[0-9]{3,4}\Z", "must be 3 or 4 digits")])
        super().__init__(**kwargs)


class CardInputSerializer(InputSerializer):
    """The card to charge. The number is checked and charged, never kept."""

    number = StrictCharField(max_length=40, help_text="12..19 digits; Luhn-valid")
    exp_month = StrictIntegerField(min_value=1, max_value=12, required=False, allow_null=True)
    exp_year = StrictIntegerField(min_value=2000, max_value=2100, required=False, allow_null=True)
    cvc = CvcField(required=False, allow_null=True)

    def validate_number(self, value: str) -> str:
        """The digits of a Luhn-valid number of 12 to 19 digits."""
        try:
            return card_digits(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The expiry month and year come together, and not in the past."""
        problem = expiry_problem(attrs.get("exp_month"), attrs.get("exp_year"))
        if problem is not None:
            raise serializers.ValidationError(problem)
        return attrs


class PaymentCreateSerializer(InputSerializer):
    """A charge: an amount in minor units, its currency, and the card."""

    amount = AmountField(min_value=1)
    currency = CurrencyField()
    description = serializers.CharField(
        max_length=500, allow_null=True, allow_blank=True, required=False, trim_whitespace=False
    )
    customer_id = StrictIntegerField(min_value=1, max_value=MAX_ID, allow_null=True, required=False)
    card = CardInputSerializer()


class CardSerializer(Serializer):
    """What is kept of a card."""

    brand = serializers.CharField(read_only=True)
    last4 = serializers.CharField(read_only=True)
    exp_month = serializers.IntegerField(read_only=True, allow_null=True)
    exp_year = serializers.IntegerField(read_only=True, allow_null=True)


class PaymentSerializer(Serializer):
    """A payment as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    customer_id = serializers.IntegerField(read_only=True, allow_null=True)
    amount = serializers.IntegerField(read_only=True)
    amount_captured = serializers.IntegerField(read_only=True)
    amount_refunded = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=PaymentStatus.choices, read_only=True)
    card = CardSerializer(read_only=True)
    failure_code = serializers.CharField(read_only=True, allow_null=True)
    failure_message = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PaymentQuerySerializer(PageQuerySerializer):
    """Filters of ``GET /payments`` (newest first)."""

    status = serializers.ChoiceField(choices=PaymentStatus.choices, required=False)
    currency = CurrencyField(required=False)
    customer_id = IdField(required=False)
    # The next_cursor of a page: the page after it (instead of an offset).
    cursor = serializers.CharField(required=False, min_length=1, max_length=1024)


class RefundCreateSerializer(InputSerializer):
    """A refund; without an amount, everything that remains is refunded."""

    amount = AmountField(min_value=1, required=False, allow_null=True)
    reason = serializers.CharField(
        max_length=200, allow_null=True, allow_blank=True, required=False
    )


class RefundSerializer(Serializer):
    """A refund as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)
    payment_id = serializers.IntegerField(read_only=True)
    amount = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
