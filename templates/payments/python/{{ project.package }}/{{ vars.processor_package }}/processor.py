"""A simulated card processor: documented test numbers decide the outcome.

Swap this module for a real gateway client. A real one gets the payment id as its
own idempotency key, so that a retried call never charges twice either.

| Number              | Brand      | Outcome                                |
|---------------------|------------|----------------------------------------|
| 4242424242424242    | visa       | succeeds                               |
| 5555555555554444    | mastercard | succeeds                               |
| 4000000000000002    | visa       | fails: card_declined                   |
| 4000000000009995    | visa       | fails: insufficient_funds              |
| any other valid one | its brand  | succeeds                               |
"""

from dataclasses import dataclass

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"

_FAILURES: dict[str, tuple[str, str]] = {
    DECLINED: ("card_declined", "The card was declined"),
    INSUFFICIENT_FUNDS: ("insufficient_funds", "The card has insufficient funds"),
}


@dataclass(frozen=True)
class ChargeResult:
    """What the processor answered: success, or a failure code and message."""

    succeeded: bool
    failure_code: str | None = None
    failure_message: str | None = None


def charge(*, payment_id: int, number: str, amount: int, currency: str) -> ChargeResult:
    """Charge ``amount`` (minor units of ``currency``) to the card ``number``."""
    failure = _FAILURES.get(number)
    if failure is not None:
        return ChargeResult(False, *failure)
    return ChargeResult(True)
