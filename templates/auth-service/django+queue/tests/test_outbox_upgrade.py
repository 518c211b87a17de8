"""Upgrading to the queue's migration keeps the outbox's messages, pending and due."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("outbox", "0001_initial")]
AFTER = [("outbox", "0002_sending")]


@pytest.mark.django_db(transaction=True)
def test_messages_written_before_the_queue_are_pending_after_the_upgrade() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("outbox", "OutboxMessage")
    old.objects.create(recipient="ada@example.com", subject="Hello", body="Reset token: x")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("outbox", "OutboxMessage")
    [message] = new.objects.all()
    assert (message.status, message.attempts, message.claim_token) == ("pending", 0, None)
    assert (message.sent_at, message.last_error) == (None, None)
    assert message.next_attempt_at == message.created_at
