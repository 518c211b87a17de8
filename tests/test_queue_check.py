"""verify's queue check: its SMTP sink, and that it fails a worker that polls instead of queueing.

The matrix (tests/test_matrix.py, QUEUE_CELLS) runs the check on projects with the
feature, where it must pass.
"""

import os
import smtplib
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest

from toolkit import Catalog, generate
from toolkit import _verify as verify
from toolkit._model import build_model
from toolkit._operations_checks import IssuedAdmin, Login, OperationsCheckFailed
from toolkit._queue_check import MailProbe, WebhookProbe, probe
from toolkit._smtp_sink import SmtpSink
from toolkit.contracts.issuer import Issuer


def message(to: str, body: str = "Reset token: abc.def\n.a line with a dot\n") -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "app@example.com", to, "Reset"
    mail["Message-ID"] = "<outbox-7@example.com>"
    mail.set_content(body)
    return mail


def test_the_sink_keeps_what_it_accepts() -> None:
    with SmtpSink() as sink, smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
        client.send_message(message("ann@example.com"))
        client.send_message(message("bob@example.com", "second\n"))
    mails = sink.wait_for(2, timeout=5)
    assert [mail.recipients for mail in mails] == [("ann@example.com",), ("bob@example.com",)]
    assert mails[0].message["Message-ID"] == "<outbox-7@example.com>"
    assert mails[0].text.splitlines() == ["Reset token: abc.def", ".a line with a dot"]
    assert mails[1].sender == "app@example.com" and mails[1].text.strip() == "second"


def test_the_sink_refuses_for_now_whom_it_is_told_to() -> None:
    with SmtpSink(refuse=lambda to: to.startswith("no-")) as sink:
        with (
            pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
            smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client,
        ):
            client.send_message(message("no-ann@example.com"))
        assert refused.value.recipients["no-ann@example.com"][0] == 451
        assert sink.refused == ["no-ann@example.com"] and sink.accepted() == []


def test_a_held_message_is_never_answered_nor_accepted() -> None:
    with SmtpSink() as sink:
        released = sink.hold_next()
        with (
            pytest.raises((socket.timeout, smtplib.SMTPServerDisconnected)),
            smtplib.SMTP("127.0.0.1", sink.port, timeout=1) as client,
        ):
            client.send_message(message("ann@example.com"))
        assert [mail.accepted for mail in sink.mails] == [False]
        released.set()
        # Only the next message was held: this one goes through.
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
            client.send_message(message("ann@example.com"))
        assert len(sink.wait_for(1, timeout=5)) == 1


def test_probes_are_named_by_the_kinds() -> None:
    admin = Login("admin@example.com", "x")
    assert isinstance(probe("webhooks", admin), WebhookProbe)
    mail = probe("mail", admin)
    assert isinstance(mail, MailProbe)
    mail.close()
    with pytest.raises(OperationsCheckFailed, match="no queue probe named 'nope'"):
        probe("nope", admin)


def test_issued_accounts_make_merchants_but_no_mail(tmp_path: Path) -> None:
    """With jwks the merchants are issued tokens; auth-service (mail) is never a jwks service."""
    issued = IssuedAdmin(Issuer(tmp_path, "https://issuer.example"))
    webhooks = probe("webhooks", issued)
    assert isinstance(webhooks, WebhookProbe) and webhooks.accounts is issued
    with pytest.raises(OperationsCheckFailed, match="needs a service's own accounts"):
        probe("mail", issued)


@pytest.mark.slow
def test_a_worker_that_polls_fails_the_push_phase(catalog: Catalog, tmp_path: Path) -> None:
    """payments without the feature: its worker looks for work once a minute (here)."""
    spec = catalog.resolve("payments", "polling", framework="fastapi", features=())
    project = generate(spec, tmp_path / "polling", catalog=catalog, git=False).path
    model = build_model(catalog.layer_paths(spec))
    commands = {name: value.format(package=spec.package) for name, value in model.commands.items()}
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = verify._service_env(project, model.vars, scratch)
    env.update(REDIS_URL=os.environ.get("SCAFFOLD_REDIS_URL", "redis://127.0.0.1:6379/0"))
    runner = verify._Runner(project, env)
    setup = commands["setup"] if verify._uv() else commands["setup_pip"]
    for name, command in (("setup", setup), ("migrate", commands["migrate"])):
        step = runner.run(name, command, timeout=600)
        assert step.ok, step.detail
    with pytest.raises(OperationsCheckFailed, match="pushed through the queue: 0 of 1"):
        # Its merchants sign up (the admin's own account is not used).
        accounts = Login("admin@example.com", "unused")
        verify._check_queue(runner, commands, WebhookProbe(accounts))
