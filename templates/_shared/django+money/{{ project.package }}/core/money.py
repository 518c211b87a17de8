"""Money: integer amounts in minor units (cents) with an ISO 4217 currency, never floats.

A price of 12.34 USD is ``{"amount": 1234, "currency": "USD"}``. Floats are refused at
the edge, so rounding never creeps into stored amounts; arithmetic stays in integers.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .serializers import InputSerializer, StrictCharField, StrictIntegerField

# ISO 4217 codes in common use and their minor-unit exponents (JPY has none, KWD three).
CURRENCY_EXPONENTS: dict[str, int] = {
    "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "CZK": 2,
    "DKK": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2,
    "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MXN": 2, "MYR": 2, "NOK": 2,
    "NZD": 2, "OMR": 3, "PHP": 2, "PLN": 2, "RON": 2, "SAR": 2, "SEK": 2, "SGD": 2,
    "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2, "USD": 2, "VND": 0, "ZAR": 2,
}  # fmt: skip
#: The largest amount accepted, in minor units: far above any real payment, and
#: below 2**53 so that every client's JSON numbers stay exact.
MAX_AMOUNT = 10**15


def _known_currency(code: str) -> None:
    if code not in CURRENCY_EXPONENTS:
        raise serializers.ValidationError("must be an ISO 4217 currency code such as USD or EUR")


# The document lists the codes taken: "ABC" has the pattern, but is no currency.
@extend_schema_field({"type": "string", "enum": sorted(CURRENCY_EXPONENTS)})
class CurrencyField(StrictCharField):
    """An ISO 4217 code in upper case, one of ``CURRENCY_EXPONENTS``."""

    def __init__(self, **kwargs: Any):
        # The list decides: no pattern of the field's own (the document lists the codes).
        kwargs.setdefault("validators", [_known_currency])
        super().__init__(**kwargs)


class AmountField(StrictIntegerField):
    """A non-negative amount in minor units; a float (even 10.0) is refused."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(**kwargs)


class MoneySerializer(InputSerializer):
    """An amount in minor units and its currency (in bodies and in responses)."""

    amount = AmountField()
    currency = CurrencyField()


def format_amount(amount: int, currency: str) -> str:
    """Show an amount for people: ``format_amount(1234, "USD") == "12.34 USD"``."""
    exponent = CURRENCY_EXPONENTS[currency]
    if exponent == 0:
        return f"{amount} {currency}"
    units, minor = divmod(abs(amount), 10**exponent)
    sign = "-" if amount < 0 else ""
    return f"{sign}{units}.{minor:0{exponent}d} {currency}"
