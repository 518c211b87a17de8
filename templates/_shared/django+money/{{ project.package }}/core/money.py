"""Money: integer amounts in minor units (cents) with an ISO 4217 currency, never floats.

A price of 12.34 USD is ``{"amount": 1234, "currency": "USD"}``. Floats (even 10.0)
and numeric strings are refused at the edge, so rounding never creeps into stored
amounts; arithmetic stays in integers. Store amounts in ``BigIntegerField`` columns.
"""

from typing import Any, ClassVar

from rest_framework import serializers

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
#: The length of a currency column.
CURRENCY_LENGTH = 3


class StrictIntegerField(serializers.IntegerField):
    """An integer that must be a JSON integer: 10.0, "10" and true are refused."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Input should be a valid integer"
    }

    def to_internal_value(self, data: Any) -> int:
        """Accept only ``int`` (not ``bool``), then apply the bounds."""
        if type(data) is not int:
            self.fail("invalid")
        return int(super().to_internal_value(data))


class AmountField(StrictIntegerField):
    """An amount in minor units: a JSON integer from 0 (1 if ``positive``) to MAX_AMOUNT."""

    def __init__(self, *, positive: bool = False, **kwargs: Any):
        kwargs.setdefault("min_value", 1 if positive else 0)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(**kwargs)


class CurrencyField(serializers.CharField):
    """An ISO 4217 code in upper case, such as USD or EUR."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "unknown": "must be an ISO 4217 currency code such as USD or EUR",
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", CURRENCY_LENGTH)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        """Accept only the known codes, exactly as written (``usd`` is refused)."""
        if not isinstance(data, str) or data not in CURRENCY_EXPONENTS:
            self.fail("unknown")
        return data


def format_amount(amount: int, currency: str) -> str:
    """Show an amount for people: ``format_amount(1234, "USD") == "12.34 USD"``."""
    exponent = CURRENCY_EXPONENTS[currency]
    if exponent == 0:
        return f"{amount} {currency}"
    units, minor = divmod(abs(amount), 10**exponent)
    sign = "-" if amount < 0 else ""
    return f"{sign}{units}.{minor:0{exponent}d} {currency}"
