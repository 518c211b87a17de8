"""The jobs app: each outbox message is enqueued after the commit that wrote it."""

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_save


class JobsConfig(AppConfig):
    """Outbox mail through the job queue."""

    name = __package__ or "jobs"
    label = "jobs"

    def ready(self) -> None:
        from ..core.mail import check_sender, parse_smtp_url
        from ..outbox.models import OutboxMessage

        try:
            parse_smtp_url(settings.SMTP_URL)
            check_sender(settings.MAIL_FROM)
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from None
        post_save.connect(
            _message_saved, sender=OutboxMessage, dispatch_uid="jobs.outbox_message_saved"
        )


def _message_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        from .mail import enqueue

        message_id = instance.pk
        transaction.on_commit(lambda: enqueue([message_id]), robust=True)
