"""The ledger: one signed entry per captured charge and per refund."""

from django.conf import settings
from django.db import models

from ..core import payment_rules
from ..payments.models import CURRENCY_LENGTH

#: The entry types of ``core/payment_rules.py`` as Django choices.
# django-stubs types only the class form of TextChoices, not this functional one
# (Enum's: a name and (member, value) pairs), which Django supports.
EntryType = models.TextChoices(  # type: ignore[call-overload]
    "EntryType", [(entry.name, entry.value) for entry in payment_rules.EntryType]
)


class LedgerEntry(models.Model):
    """A movement of money, written in the transaction of the charge or refund."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger_entries"
    )
    payment = models.ForeignKey(
        "payments.Payment", on_delete=models.CASCADE, related_name="ledger_entries"
    )
    refund = models.ForeignKey(
        "payments.Refund",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    type = models.CharField(max_length=20, choices=EntryType)
    # Signed, in minor units: +amount for a charge, -amount for a refund.
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=CURRENCY_LENGTH, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "ledger_entries"
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.type} {self.amount} {self.currency}"
