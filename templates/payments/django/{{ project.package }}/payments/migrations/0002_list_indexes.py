"""Indexes of the payment list, one per filter in its order (docs/pagination.md).

GET /payments sorts newest first, (created_at, id) descending. Each index holds a filter
(a merchant's own payments, a status, a currency, a customer, or none for an admin)
followed by that order: the page is one range of it, also after a cursor at any depth,
and the total reads it alone up to its cap. Plain indexes, on every database. The
status indexes end with the currency: status and currency together are counted from the
index alone too.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["created_at", "id"], name="ix_payments_created_id"),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["owner", "created_at", "id"], name="ix_payments_owner_created"
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["status", "created_at", "id", "currency"], name="ix_payments_status_created"
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["owner", "status", "created_at", "id", "currency"],
                name="ix_payments_owner_status",
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["currency", "created_at", "id"], name="ix_payments_currency_created"
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["owner", "currency", "created_at", "id"], name="ix_payments_owner_currency"
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["customer", "created_at", "id"], name="ix_payments_customer_created"
            ),
        ),
    ]
