"""A small SMTP server for the tests: it keeps what it is sent, or refuses, or holds.

It speaks enough of RFC 5321 for ``smtplib`` (EHLO/HELO, AUTH PLAIN, MAIL, RCPT,
DATA with dot-stuffing, RSET, NOOP, QUIT) on a thread per connection, on loopback.
"""

import base64
import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType


class SmtpSink:
    """An SMTP server on 127.0.0.1 for one test.

    Args:
        refuse: How many messages to refuse (451 at the end of DATA) before
            accepting; -1: refuse them all.
        hold_first: Keep the first MAIL command waiting until :meth:`release` (a
            client that dies meanwhile leaves nothing behind).
    """

    def __init__(self, *, refuse: int = 0, hold_first: bool = False):
        self.messages: list[EmailMessage] = []
        self.logins: list[tuple[str, str]] = []
        self.refused = 0
        self.refuse = refuse
        self.hold_first = hold_first
        self.held = threading.Event()
        self.released = threading.Event()
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, *lines: str) -> None:
                self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())

            def handle(self) -> None:
                try:
                    self.converse()
                except OSError:
                    return  # the client went away (a worker killed mid-send)

            def converse(self) -> None:
                self.reply("220 sink ESMTP ready")
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    command = raw.decode("utf-8", "replace").strip()
                    verb = command.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.reply("250-sink", "250-8BITMIME", "250-AUTH PLAIN", "250 OK")
                    elif verb == "HELO" or verb in {"RSET", "NOOP", "RCPT"}:
                        self.reply("250 OK")
                    elif verb == "AUTH":
                        self.login(command)
                    elif verb == "MAIL":
                        sink.hold()
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        self.reply(sink.receive(self.data()))
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

            def login(self, command: str) -> None:
                parts = command.split()
                if len(parts) != 3 or parts[1].upper() != "PLAIN":
                    self.reply("504 only AUTH PLAIN with its answer")
                    return
                _, user, password = base64.b64decode(parts[2]).decode().split("\0")
                sink.logins.append((user, password))
                self.reply("235 authenticated")

            def data(self) -> bytes:
                lines: list[bytes] = []
                while True:
                    line = self.rfile.readline()
                    if not line or line == b".\r\n":
                        return b"".join(lines)
                    lines.append(line[1:] if line.startswith(b"..") else line)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The ``SMTP_URL`` of this server."""
        return f"smtp://127.0.0.1:{self.server.server_address[1]}"

    def hold(self) -> None:
        with self.lock:
            first = self.hold_first and not self.held.is_set()
            if first:
                self.held.set()
        if first:
            self.released.wait(60)

    def release(self) -> None:
        """Let the held MAIL command go on."""
        self.released.set()

    def receive(self, data: bytes) -> str:
        with self.lock:
            if self.refuse != 0:
                self.refuse -= 1
                self.refused += 1
                return "451 try again later"
            self.messages.append(message_from_bytes(data, policy=policy.default))
        return "250 queued"

    def __enter__(self) -> "SmtpSink":
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
