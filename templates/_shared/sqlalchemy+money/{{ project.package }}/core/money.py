"""Money: integer amounts in minor units (cents) with an ISO 4217 currency, never floats.

A price of 12.34 USD is ``{"amount": 1234, "currency": "USD"}``. Floats are refused at
the edge, so rounding never creeps into stored amounts; arithmetic stays in integers.
"""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, WithJsonSchema

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


def _known_currency(code: str) -> str:
    if code not in CURRENCY_EXPONENTS:
        raise ValueError("must be an ISO 4217 currency code such as USD or EUR")
    return code


Currency = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$"),
    AfterValidator(_known_currency),
    # The document lists the codes taken: "ABC" has the pattern, but is no currency.
    WithJsonSchema({"type": "string", "enum": sorted(CURRENCY_EXPONENTS)}),
]
#: A non-negative amount in minor units; a float (even 10.0) is refused.
Amount = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)]
#: A strictly positive amount in minor units.
PositiveAmount = Annotated[StrictInt, Field(ge=1, le=MAX_AMOUNT)]


class Money(BaseModel):
    """An amount in minor units and its currency (in bodies and in responses)."""

    # Refused like unknown fields of the body around it.
    model_config = ConfigDict(extra="forbid")

    amount: Amount
    currency: Currency


def format_amount(amount: int, currency: str) -> str:
    """Show an amount for people: ``format_amount(1234, "USD") == "12.34 USD"``."""
    exponent = CURRENCY_EXPONENTS[currency]
    if exponent == 0:
        return f"{amount} {currency}"
    units, minor = divmod(abs(amount), 10**exponent)
    sign = "-" if amount < 0 else ""
    return f"{sign}{units}.{minor:0{exponent}d} {currency}"
