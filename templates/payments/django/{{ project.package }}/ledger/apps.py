"""The ledger app."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """Ledger of the payments API."""

    name = __package__ or "ledger"
    label = "ledger"
