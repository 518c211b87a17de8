"""Card numbers: normalizing, the Luhn check, the brand and the last four digits.

The full number lives only in the request that charges it: it is never stored,
logged or returned. What is kept is ``card_brand`` and ``card_last4``.
"""

import re
from datetime import UTC, datetime

MIN_DIGITS = 12
MAX_DIGITS = 19
_SEPARATORS = re.compile(r"[ -]")
# Leading digits (IIN ranges) of the common brands, longest prefixes first.
_BRANDS: list[tuple[str, tuple[range, ...]]] = [
    ("amex", (range(34, 35), range(37, 38))),
    ("mastercard", (range(51, 56), range(2221, 2721))),
    ("discover", (range(6011, 6012), range(644, 650), range(65, 66))),
    ("visa", (range(4, 5),)),
]


def normalize_number(number: str) -> str:
    """Return the digits of a card number written with spaces or dashes."""
    return _SEPARATORS.sub("", number)


def luhn_valid(digits: str) -> bool:
    """Tell whether ``digits`` pass the Luhn checksum (ISO/IEC 7812)."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str:
    """Return the brand of a card number (``visa``, ``mastercard``...) or ``unknown``."""
    for brand, ranges in _BRANDS:
        for prefixes in ranges:
            width = len(str(prefixes.start))
            if int(digits[:width]) in prefixes:
                return brand
    return "unknown"


def last4(digits: str) -> str:
    """Return the last four digits, the only part of a number that may be kept."""
    return digits[-4:]


def card_digits(number: str) -> str:
    """The digits of a Luhn-valid number of 12 to 19 digits; ``ValueError`` says why not."""
    digits = normalize_number(number)
    if not (digits.isascii() and digits.isdigit()) or not (MIN_DIGITS <= len(digits) <= MAX_DIGITS):
        raise ValueError(f"must be {MIN_DIGITS} to {MAX_DIGITS} digits")
    if not luhn_valid(digits):
        raise ValueError("is not a valid card number (Luhn check failed)")
    return digits


def expiry_problem(
    exp_month: int | None, exp_year: int | None, *, today: datetime | None = None
) -> str | None:
    """Why an expiry cannot be charged (half given, or past), or None."""
    if (exp_month is None) != (exp_year is None):
        return "give exp_month and exp_year together, or neither"
    if exp_month is not None and exp_year is not None:
        today = today or datetime.now(UTC)
        if (exp_year, exp_month) < (today.year, today.month):
            return "the card has expired"
    return None
