"""The jobs app: each event's deliveries are enqueued after the commit that wrote them."""

from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


class JobsConfig(AppConfig):
    """Webhook deliveries through the job queue."""

    name = __package__ or "jobs"
    label = "jobs"

    def ready(self) -> None:
        from ..webhooks.models import Event

        post_save.connect(_event_saved, sender=Event, dispatch_uid="jobs.event_saved")


def _event_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # The event's deliveries are written after it, in the same transaction: they are
    # read when it commits (and never, if it rolls back).
    if created:
        from .delivery import enqueue_event

        event_id = instance.pk
        transaction.on_commit(lambda: enqueue_event(event_id), robust=True)
