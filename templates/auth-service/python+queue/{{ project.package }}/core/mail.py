"""Mail over SMTP (feature "queue"): the settings, the message, one send.

``SMTP_URL`` says where mail goes: ``smtp://[user:password@]host[:port]`` (port 25 by
default), ``smtp://...?starttls=true`` to upgrade the connection with STARTTLS (port
587 by default), ``smtps://...`` for TLS from the first byte (port 465 by default); a
user name or password may be percent-encoded. Empty: mail is not sent, and the messages
stay in the outbox (GET /admin/outbox shows them).

Every message of the outbox row ``N`` has the same Message-ID (``<outbox.N.STAMP@DOMAIN>``,
STAMP being the row's creation time), so that a message sent again after a worker died
mid-send is recognisable as the same one by the receiving side.
"""

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

#: The default port of each way of connecting.
PLAIN_PORT = 25
STARTTLS_PORT = 587
TLS_PORT = 465
#: The values of ``?starttls=`` that turn it on.
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class MailError(Exception):
    """The message was not sent (the server refused it, or could not be reached)."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to connect, from ``SMTP_URL``."""

    host: str
    port: int
    tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpServer | None:
    """The server of ``SMTP_URL``; None when it is empty (mail is not sent).

    Raises:
        ValueError: The URL is not one of the forms above.
    """
    if not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError("SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("SMTP_URL must name a host")
    options = parse_qs(parts.query)
    unknown = set(options) - {"starttls"}
    if unknown:
        raise ValueError(f"SMTP_URL has unknown options: {', '.join(sorted(unknown))}")
    word = options.get("starttls", ["false"])[-1].lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError("SMTP_URL's starttls must be true or false")
    tls = parts.scheme == "smtps"
    starttls = word in TRUE_WORDS
    if tls and starttls:
        raise ValueError("SMTP_URL: smtps:// is TLS already, starttls does not apply")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError("SMTP_URL has an invalid port") from exc
    default = TLS_PORT if tls else STARTTLS_PORT if starttls else PLAIN_PORT
    return SmtpServer(
        host=parts.hostname,
        port=port or default,
        tls=tls,
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def check_sender(address: str) -> str:
    """``MAIL_FROM`` if it is an address with a domain (``Name <user@host>`` or ``user@host``).

    Raises:
        ValueError: It is not.
    """
    _, email = parseaddr(address)
    if "@" not in email or not email.rpartition("@")[2]:
        raise ValueError("MAIL_FROM must be an email address, e.g. no-reply@example.com")
    return address


def message_id(outbox_id: int, created_at: datetime, sender: str) -> str:
    """The Message-ID of outbox row ``outbox_id``: the same every time it is sent."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    stamp = created_at.strftime("%Y%m%d%H%M%S%f")
    return f"<outbox.{outbox_id}.{stamp}@{domain}>"


@dataclass(frozen=True)
class Outgoing:
    """One outbox row, as the sender needs it."""

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime


def build_message(outgoing: Outgoing, sender: str) -> EmailMessage:
    """The email of an outbox row: plain text, UTF-8, with its stable Message-ID."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = outgoing.recipient
    email["Subject"] = outgoing.subject
    email["Date"] = format_datetime(outgoing.created_at)
    email["Message-ID"] = message_id(outgoing.id, outgoing.created_at, sender)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(outgoing.body)
    return email


def send(server: SmtpServer, email: EmailMessage, *, timeout: float) -> None:
    """Send ``email`` through ``server``, one connection per message.

    Raises:
        MailError: The server refused it or did not answer within ``timeout``.
    """
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if server.tls:
            smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=timeout)
        with smtp:
            if server.starttls:
                smtp.starttls(context=context)
            if server.username is not None:
                smtp.login(server.username, server.password or "")
            refused = smtp.send_message(email)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(describe(exc)) from exc
    if refused:
        raise MailError(f"refused: {', '.join(sorted(refused))}")


def describe(exc: BaseException) -> str:
    """One line about a failed send, without the server's multi-line noise."""
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {' '.join(text.split())}"[:500]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"recipients refused: {', '.join(sorted(exc.recipients))}"[:500]
    name = type(exc).__name__
    return f"{name}: {' '.join(str(exc).split())}"[:500]
