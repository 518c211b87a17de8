# The outbox's sending (feature "queue"). Additive: messages already in the outbox
# become pending and due at their creation, so the worker's first sweep sends them once
# SMTP_URL is set (a reset token among them may have expired meanwhile; it then answers
# 422 as any expired token).

from typing import Any

import django.utils.timezone
from django.db import migrations, models


def due_at_creation(apps: Any, _schema_editor: Any) -> None:
    message = apps.get_model("outbox", "OutboxMessage")
    message.objects.update(next_attempt_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="attempts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="claim_token",
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="last_error",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.RunPython(due_at_creation, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ),
    ]
