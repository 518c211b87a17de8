"""Payments, their refunds, and the idempotency keys that make charging safe to retry."""

from typing import Any

from django.conf import settings
from django.db import models

from ..core import payment_rules
from ..core.fields import ExactCharField

#: An ISO 4217 currency code: three capital letters.
CURRENCY_LENGTH = 3


#: The statuses of ``core/payment_rules.py`` as Django choices ("Partially Refunded"...).
# django-stubs types only the class form of TextChoices, not this functional one
# (Enum's: a name and (member, value) pairs), which Django supports.
PaymentStatus = models.TextChoices(  # type: ignore[call-overload]
    "PaymentStatus", [(status.name, status.value) for status in payment_rules.PaymentStatus]
)


class Payment(models.Model):
    """A card charge of one merchant; amounts are integers in minor units."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payments"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
    )
    amount = models.BigIntegerField()
    amount_refunded = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=CURRENCY_LENGTH, db_index=True)
    description = models.CharField(max_length=500, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=PaymentStatus, default=PaymentStatus.PENDING, db_index=True
    )
    # Never the card number: its brand and last four digits are all that is kept.
    card_brand = models.CharField(max_length=20)
    card_last4 = models.CharField(max_length=4)
    card_exp_month = models.IntegerField(null=True, blank=True)
    card_exp_year = models.IntegerField(null=True, blank=True)
    failure_code = models.CharField(max_length=40, null=True, blank=True)
    failure_message = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "payments"
        # The list's filters, each in its order (newest first): the page is one range of
        # one of them at any depth, the capped total reads it alone (migration 0002).
        indexes = (
            models.Index(fields=["created_at", "id"], name="ix_payments_created_id"),
            models.Index(fields=["owner", "created_at", "id"], name="ix_payments_owner_created"),
            models.Index(
                fields=["status", "created_at", "id", "currency"], name="ix_payments_status_created"
            ),
            models.Index(
                fields=["owner", "status", "created_at", "id", "currency"],
                name="ix_payments_owner_status",
            ),
            models.Index(
                fields=["currency", "created_at", "id"], name="ix_payments_currency_created"
            ),
            models.Index(
                fields=["owner", "currency", "created_at", "id"], name="ix_payments_owner_currency"
            ),
            models.Index(
                fields=["customer", "created_at", "id"], name="ix_payments_customer_created"
            ),
        )

    def __str__(self) -> str:
        return f"payment {self.pk} ({self.status})"

    @property
    def amount_captured(self) -> int:
        """The amount taken from the card: all of it once it succeeded, else nothing."""
        return payment_rules.amount_captured(self.amount, self.status)

    @property
    def card(self) -> dict[str, Any]:
        """What the API shows of the card."""
        return payment_rules.card_view(
            self.card_brand, self.card_last4, self.card_exp_month, self.card_exp_year
        )


class Refund(models.Model):
    """Money given back from a captured payment."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refunds"
    )
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="refunds")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=CURRENCY_LENGTH)
    reason = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "refunds"

    def __str__(self) -> str:
        return f"refund {self.pk} of payment {self.payment_id}"


class IdempotencyKey(models.Model):
    """The first response to an ``Idempotency-Key`` of a user, replayed for its retries.

    The row is inserted in the transaction that charges, under a unique (owner, key)
    constraint: a concurrent retry waits for that transaction (or fails on commit)
    and then replays the stored response, so one key never charges twice.
    """

    # Indexed by the unique constraint, which leads with owner_id.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idempotency_keys",
        db_index=False,
    )
    # Compared exactly ("abc" and "ABC" are two keys), on MySQL too.
    key = ExactCharField(max_length=255)
    # An HMAC of the request, keyed with SECRET_KEY: it holds the card number, so a
    # plain hash could be reversed by trying every number.
    request_hash = models.CharField(max_length=64)
    status_code = models.IntegerField(null=True, blank=True)
    response_body = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "idempotency_keys"
        constraints = (
            models.UniqueConstraint(fields=["owner", "key"], name="uq_idempotency_keys_owner_key"),
        )

    def __str__(self) -> str:
        return self.key
