"""A small SMTP server on loopback that keeps what it is sent: the mail end of verify's checks.

It speaks enough of RFC 5321 for a client of the standard library or nodemailer
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH) and can misbehave on
purpose: answer a recipient with a temporary failure (451), or hold the answer to the
first message's data until an event is set (the sender meanwhile waits, or dies).
"""

from __future__ import annotations

import contextlib
import email
import email.message
import email.policy
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mail:
    """A message the sink accepted, or (``accepted`` False) got but never answered."""

    sender: str
    recipients: tuple[str, ...]
    message: email.message.EmailMessage
    accepted: bool

    @property
    def text(self) -> str:
        """The message's text (its plain part), as a reader sees it."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class SmtpSink:
    """An SMTP server on 127.0.0.1 and a free port; ``mails`` is what arrived, in order.

    ``refuse(recipient)`` True: that recipient gets 451 (try again later).
    :meth:`hold_next`: the next message's data gets no answer until the event is set.
    """

    def __init__(self, refuse: Callable[[str], bool] = lambda recipient: False):
        self.refuse = refuse
        self.hold: threading.Event | None = None
        self._events: list[threading.Event] = []
        self.mails: list[Mail] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())
                self.wfile.flush()

            def handle(self) -> None:
                with contextlib.suppress(OSError):  # the client went away
                    self.session()

            def session(self) -> None:
                self.reply("220 scaffold-verify ESMTP")
                sender = ""
                recipients: list[str] = []
                while line := self.rfile.readline():
                    command = line.decode(errors="replace").rstrip("\r\n")
                    verb = command[:4].upper()
                    if verb in {"EHLO", "HELO"}:
                        self.reply("250 scaffold-verify")
                    elif verb == "MAIL":
                        sender, recipients = _address(command), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipient = _address(command)
                        if sink.refuse(recipient):
                            with sink.lock:
                                sink.refused.append(recipient)
                            self.reply("451 4.3.0 try again later")
                        else:
                            recipients.append(recipient)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        if not recipients:
                            self.reply("554 no valid recipients")
                            continue
                        self.reply("354 end with <CRLF>.<CRLF>")
                        self.data(sender, tuple(recipients))
                    elif verb == "RSET":
                        sender, recipients = "", []
                        self.reply("250 OK")
                    elif verb == "NOOP":
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

            def data(self, sender: str, recipients: tuple[str, ...]) -> None:
                lines = []
                while (line := self.rfile.readline()) and line not in {b".\r\n", b".\n"}:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                with sink.lock:
                    held, sink.hold = sink.hold, None
                    if held is not None:
                        sink.mails.append(Mail(sender, recipients, message, accepted=False))
                if held is not None:
                    held.wait(timeout=120)
                    return  # never answered: the sender must not count it as sent
                with sink.lock:
                    sink.mails.append(Mail(sender, recipients, message, accepted=True))
                self.reply("250 OK queued")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        """An SMTP_URL for it."""
        return f"smtp://127.0.0.1:{self.port}"

    def hold_next(self) -> threading.Event:
        """Hold the answer to the next message's data until the event returned is set."""
        event = threading.Event()
        with self.lock:
            self.hold = event
            self._events.append(event)
        return event

    def accepted(self) -> list[Mail]:
        with self.lock:
            return [mail for mail in self.mails if mail.accepted]

    def wait_for(self, count: int, timeout: float) -> list[Mail]:
        """The accepted mails, once there are ``count`` of them (or the timeout ends)."""
        deadline = time.monotonic() + timeout
        while len(mails := self.accepted()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return mails

    def __enter__(self) -> SmtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        for event in self._events:
            event.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _address(command: str) -> str:
    """The address of ``MAIL FROM:<a@b>`` or ``RCPT TO:<a@b>`` (parameters dropped)."""
    value = command.split(":", 1)[1] if ":" in command else ""
    value = value.strip()
    if value.startswith("<"):
        value = value[1 : value.find(">")] if ">" in value else value[1:]
    return value.split()[0] if value.split() else ""
