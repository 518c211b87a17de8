"""The ``queue`` check of ``scaffold verify``: a service's background jobs through its job queue.

verify starts a second server and the project's worker (its real command) with Redis
behind a TCP proxy of its own (``DatabaseProxy``) and keys of this run. A probe of the
kind makes jobs and watches where they end: payments' webhook deliveries at a receiver
on loopback, auth-service's password-reset mails at an SMTP sink (``_smtp_sink``). Each
phase makes a job of its own:

* **pushed**: with the worker's sweeper and its polling set to a minute, a job is done
  within seconds: the queue carried it, nothing looked for it;
* **Redis cut at the commit**: SIGTERM stops the first worker with status 0, a second
  one sweeps every 2 s; Redis goes away under the server and that worker alike, and the
  request still answers its 2xx (never a 5xx); once Redis is back, the same worker
  (no restart) finds the job in the outbox and does it;
* **worker killed mid-job**: the receiving end holds the first attempt, the worker's
  process group gets SIGKILL; a new worker does the job again (the same event id, the
  same Message-ID), it ends done, and there is one of it;
* **dead-lettered**: a job whose far end always fails temporarily gets exactly the
  configured attempts, with backoff, and ends failed;
* **health**: the worker's health command answers 0 while it runs, and SIGTERM stops
  the worker with status 0.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from ._operations_checks import Accounts, Admin, DatabaseProxy, Login, OperationsCheckFailed
from ._smtp_sink import SmtpSink
from .contracts.payments.helpers import CARD_OK, Receiver

#: Attempts and the first backoff of the check's jobs.
MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 1
#: How long the far end may take (WEBHOOK_TIMEOUT_SECONDS): what a claim's lease is made of.
TIMEOUT_SECONDS = 2
#: A sweep so rare that only the queue can do a job within the push phase.
SLOW_SWEEP_SECONDS = 60
#: The sweep of the later phases, which count on it.
FAST_SWEEP_SECONDS = 2
#: How long the worker is left to start before the push phase.
SETTLE_SECONDS = 3.0
#: How soon a pushed job must be done: well within the slow sweep, with room for the
#: backlog that the start's sweep enqueues (deliveries the contract left to dead ends),
#: which a loaded machine works off slowly.
PUSH_WITHIN = 20.0
#: How long a lost job may take to come back (a lease to end, a sweep, a retry).
RECOVER_WITHIN = 120.0
PASSWORD = "verify-queue-Passw0rd"


class Job(Protocol):
    """One job the probe made; what the probe needs to find it again."""


class Probe(Protocol):
    """What the check needs of a kind: make jobs, and watch them at their far end."""

    def settings(self, sweep_seconds: int) -> dict[str, str]:
        """The environment of the server and the worker, besides Redis and the prefix."""

    def make(self, api: httpx.Client, *, failing: bool = False, held: bool = False) -> Job:
        """Make a job (its far end always failing, or holding its first attempt)."""

    def attempts(self, job: Job) -> int:
        """The attempts that reached the far end so far (answered or not)."""

    def release(self) -> None:
        """Let every held attempt go (its sender is gone by then)."""

    def done(self, api: httpx.Client, job: Job, within: float) -> str:
        """Wait until the service says the job is done; check there is one of it."""

    def dead(self, api: httpx.Client, job: Job, within: float) -> str:
        """Wait until the service says the job failed; check it had every attempt."""

    def close(self) -> None:
        """Let go of what the probe holds open (receivers, the sink)."""


@dataclass
class Worker:
    """Starts, stops and kills the project's worker, and asks its health command."""

    start: Callable[[Mapping[str, str]], subprocess.Popen[bytes]]
    stop: Callable[[subprocess.Popen[bytes]], int | None]
    kill: Callable[[subprocess.Popen[bytes]], None]
    healthy: Callable[[], bool] | None
    log: Callable[[], str]


def check_queue(base_url: str, proxy: DatabaseProxy, worker: Worker, probe: Probe) -> str:
    """Run the phases of the module's docstring; a summary of what was seen."""
    notes: list[str] = []
    process = worker.start(probe.settings(SLOW_SWEEP_SECONDS))
    try:
        with httpx.Client(base_url=base_url, timeout=15) as api:
            if worker.healthy is not None:
                _wait_healthy(worker, process)
            # A worker that polls would have looked once, at its start, by now: what
            # is done later came through the queue.
            time.sleep(SETTLE_SECONDS)
            job = probe.make(api)
            took = _attempted(probe, job, 1, PUSH_WITHIN, "pushed through the queue")
            probe.done(api, job, 10)
            notes.append(f"pushed in {took:.2f} s (sweep every {SLOW_SWEEP_SECONDS} s)")

            _stopped(worker, process)
            process = worker.start(probe.settings(FAST_SWEEP_SECONDS))
            if worker.healthy is not None:
                _wait_healthy(worker, process)
            # Redis goes away under the server and the running worker alike.
            proxy.cut()
            try:
                started = time.perf_counter()
                job = probe.make(api)
                answered = time.perf_counter() - started
                time.sleep(1)
            finally:
                proxy.restore()
            took = _attempted(probe, job, 1, RECOVER_WITHIN, "swept after Redis came back")
            probe.done(api, job, 10)
            notes.append(
                f"Redis cut at the commit: answered in {answered:.2f} s; the same worker"
                f" swept and did it {took:.1f} s after Redis came back"
            )

            job = probe.make(api, held=True)
            _attempted(probe, job, 1, RECOVER_WITHIN, "the first attempt (held)")
            worker.kill(process)
            probe.release()
            process = worker.start(probe.settings(FAST_SWEEP_SECONDS))
            took = _attempted(probe, job, 2, RECOVER_WITHIN, "done again after a SIGKILL")
            detail = probe.done(api, job, 20)
            notes.append(f"worker killed mid-job: done again {took:.1f} s later, {detail}")

            job = probe.make(api, failing=True)
            notes.append(probe.dead(api, job, RECOVER_WITHIN))
            if worker.healthy is not None and not worker.healthy():
                raise OperationsCheckFailed("the worker's health command failed while it ran")
        _stopped(worker, process)
        notes.append("health 0 while running, stopped with 0 on SIGTERM")
    except OperationsCheckFailed as exc:
        raise OperationsCheckFailed(f"{exc}\nworker output:\n{worker.log()[-3000:]}") from None
    finally:
        if process.poll() is None:
            worker.kill(process)
    return "; ".join(notes)


def _wait_healthy(worker: Worker, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while worker.healthy is not None and not worker.healthy():
        if process.poll() is not None or time.monotonic() > deadline:
            raise OperationsCheckFailed("the worker's health command never answered 0")
        time.sleep(0.5)


def _stopped(worker: Worker, process: subprocess.Popen[bytes]) -> None:
    code = worker.stop(process)
    if code != 0:
        raise OperationsCheckFailed(f"SIGTERM stopped the worker with status {code}, not 0")


def _attempted(probe: Probe, job: Job, count: int, within: float, what: str) -> float:
    """Wait for ``count`` attempts of ``job`` at its far end; the seconds it took."""
    started = time.monotonic()
    while (seen := probe.attempts(job)) < count:
        if time.monotonic() - started > within:
            raise OperationsCheckFailed(
                f"{what}: {seen} of {count} attempt(s) arrived within {within:.0f} s"
            )
        time.sleep(0.1)
    return time.monotonic() - started


def _expect(answer: httpx.Response, status: int, what: str) -> httpx.Response:
    if answer.status_code != status:
        raise OperationsCheckFailed(
            f"{what} answered {answer.status_code}, not {status}: {answer.text[:300]}"
        )
    return answer


def _sign_up(api: httpx.Client, email: str) -> dict[str, str]:
    """Register ``email`` and sign in; its authorization header."""
    _expect(
        api.post("/auth/register", json={"email": email, "password": PASSWORD}), 201, "register"
    )
    answer = api.post("/auth/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {_expect(answer, 200, 'login').json()['access_token']}"}


def _wait_for(
    read: Callable[[], Any], ready: Callable[[Any], bool], within: float, what: str
) -> Any:
    """Read until ``ready`` says so; the last reading."""
    deadline = time.monotonic() + within
    while not ready(value := read()):
        if time.monotonic() > deadline:
            raise OperationsCheckFailed(f"{what} after {within:.0f} s: {value}")
        time.sleep(0.3)
    return value


@dataclass
class _Delivery:
    headers: dict[str, str]
    receiver: Receiver
    webhook_id: int
    payment_id: int


@dataclass
class WebhookProbe:
    """payments: a merchant with a webhook to a receiver of its own, and a payment.

    The merchant is a new account of ``accounts``: signed up on the service, or a token
    of verify's issuer for a new subject when the service trusts one (the feature jwks).
    """

    accounts: Accounts
    _stack: ExitStack = field(default_factory=ExitStack)
    _holds: list[threading.Event] = field(default_factory=list)

    def settings(self, sweep_seconds: int) -> dict[str, str]:
        return {
            "QUEUE_SWEEP_SECONDS": str(sweep_seconds),
            "WORKER_POLL_SECONDS": str(SLOW_SWEEP_SECONDS),
            "WEBHOOK_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
            "WEBHOOK_BACKOFF_SECONDS": str(BACKOFF_SECONDS),
            "WEBHOOK_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
            "WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        }

    def make(self, api: httpx.Client, *, failing: bool = False, held: bool = False) -> _Delivery:
        token = self.accounts.user_token(api.base_url.port or 80)
        headers = {"Authorization": f"Bearer {token}"}
        hold = threading.Event() if held else None
        if hold is not None:
            self._holds.append(hold)
        statuses = (500,) * (MAX_ATTEMPTS + 3) if failing else ()
        receiver = self._stack.enter_context(Receiver(statuses=statuses, hold=hold))
        answer = api.post("/webhooks", json={"url": receiver.url}, headers=headers)
        webhook_id = int(_expect(answer, 201, "POST /webhooks").json()["id"])
        payment = {"amount": 1500, "currency": "USD", "card": {"number": CARD_OK}}
        answer = api.post(
            "/payments", json=payment, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
        )
        payment_id = int(_expect(answer, 201, "POST /payments").json()["id"])
        return _Delivery(headers, receiver, webhook_id, payment_id)

    def attempts(self, job: Job) -> int:
        assert isinstance(job, _Delivery)
        with job.receiver.lock:
            return len(job.receiver.requests)

    def release(self) -> None:
        for hold in self._holds:
            hold.set()

    def _delivery(self, api: httpx.Client, job: _Delivery, status: str, within: float) -> Any:
        url = f"/webhooks/{job.webhook_id}/deliveries"

        def read() -> list[Any]:
            return list(_expect(api.get(url, headers=job.headers), 200, url).json()["items"])

        items = _wait_for(
            read, lambda items: bool(items) and items[0]["status"] == status, within,
            f"the delivery is not {status}",
        )  # fmt: skip
        return items[0]

    def done(self, api: httpx.Client, job: Job, within: float) -> str:
        assert isinstance(job, _Delivery)
        delivery = self._delivery(api, job, "succeeded", within)
        with job.receiver.lock:
            ids = {request.header("Scaffold-Event-Id") for request in job.receiver.requests}
        if len(ids) != 1 or None in ids:
            raise OperationsCheckFailed(f"the attempts carried event ids {ids}, not one")
        events = _expect(api.get("/events", headers=job.headers), 200, "GET /events").json()
        mine = [e for e in events["items"] if e.get("payment_id") == job.payment_id]
        if len(mine) != 1:
            raise OperationsCheckFailed(f"the payment has {len(mine)} events, not 1")
        return f"one event id, {delivery['attempt_count']} attempt(s) recorded"

    def dead(self, api: httpx.Client, job: Job, within: float) -> str:
        assert isinstance(job, _Delivery)
        delivery = self._delivery(api, job, "failed", within)
        time.sleep(BACKOFF_SECONDS * 2**MAX_ATTEMPTS)  # a further attempt would come by now
        sent = self.attempts(job)
        codes = [attempt["status_code"] for attempt in delivery["attempts"]]
        if sent != MAX_ATTEMPTS or delivery["attempt_count"] != MAX_ATTEMPTS:
            raise OperationsCheckFailed(
                f"an endpoint answering 500 got {sent} request(s) and"
                f" {delivery['attempt_count']} recorded attempt(s) ({codes}), not {MAX_ATTEMPTS}"
            )
        return f"dead-lettered after {MAX_ATTEMPTS} attempts ({codes})"

    def close(self) -> None:
        self.release()
        self._stack.close()


#: The token a reset mail carries (the contract reads the same line from the outbox).
RESET_TOKEN = re.compile(r"Reset token: (\S+)")
#: Recipients whose mail the sink refuses for now (451), every time.
REFUSED_PREFIX = "refused-"


@dataclass
class _Reset:
    email: str


@dataclass
class MailProbe:
    """auth-service: an account asks for a password reset; its mail arrives at a sink."""

    admin: Login
    sink: SmtpSink = field(
        default_factory=lambda: SmtpSink(refuse=lambda to: to.startswith(REFUSED_PREFIX))
    )
    _holds: list[threading.Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sink.__enter__()

    def settings(self, sweep_seconds: int) -> dict[str, str]:
        return {
            "QUEUE_SWEEP_SECONDS": str(sweep_seconds),
            "SMTP_URL": self.sink.url,
            "MAIL_FROM": "verify@example.com",
            "MAIL_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
            "MAIL_BACKOFF_SECONDS": str(BACKOFF_SECONDS),
            "MAIL_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
        }

    def make(self, api: httpx.Client, *, failing: bool = False, held: bool = False) -> _Reset:
        prefix = REFUSED_PREFIX if failing else "queue-"
        email = f"{prefix}{uuid.uuid4().hex[:12]}@example.com"
        _sign_up(api, email)
        if held:
            self._holds.append(self.sink.hold_next())
        answer = api.post("/auth/password-reset", json={"email": email})
        _expect(answer, 202, "POST /auth/password-reset")
        return _Reset(email)

    def attempts(self, job: Job) -> int:
        assert isinstance(job, _Reset)
        with self.sink.lock:
            mails = sum(job.email in mail.recipients for mail in self.sink.mails)
            return mails + self.sink.refused.count(job.email)

    def release(self) -> None:
        for hold in self._holds:
            hold.set()

    def _message(self, api: httpx.Client, job: _Reset, status: str, within: float) -> str:
        """Where GET /admin/outbox shows a status, wait for ``status``; a note of it."""
        headers = {"Authorization": f"Bearer {self._admin_token(api)}"}

        def read() -> dict[str, Any]:
            answer = api.get("/admin/outbox", params={"recipient": job.email}, headers=headers)
            items = _expect(answer, 200, "GET /admin/outbox").json()["items"]
            return dict(items[0]) if items else {}

        message = _wait_for(
            read, lambda m: "status" not in m or m["status"] == status, within,
            f"the outbox message is not {status}",
        )  # fmt: skip
        return f"outbox says {status}" if "status" in message else "outbox shows no status"

    def _admin_token(self, api: httpx.Client) -> str:
        answer = api.post("/auth/login", content=self.admin.body(), headers=JSON)
        return str(_expect(answer, 200, "the admin's login").json()["access_token"])

    def done(self, api: httpx.Client, job: Job, within: float) -> str:
        assert isinstance(job, _Reset)
        mails = [mail for mail in self.sink.wait_for(1, within) if job.email in mail.recipients]
        if len(mails) != 1:
            raise OperationsCheckFailed(f"{len(mails)} mails to {job.email} accepted, not 1")
        with self.sink.lock:
            ids = {m.message["Message-ID"] for m in self.sink.mails if job.email in m.recipients}
        if len(ids) != 1 or None in ids:
            raise OperationsCheckFailed(f"the attempts carried Message-IDs {ids}, not one")
        found = RESET_TOKEN.search(mails[0].text)
        if found is None:
            raise OperationsCheckFailed(f"no 'Reset token:' in the mail: {mails[0].text[:300]}")
        payload = {"token": found[1], "new_password": "verify-queue-Passw0rd-2"}
        answer = api.post("/auth/password-reset/confirm", json=payload)
        _expect(answer, 204, "POST /auth/password-reset/confirm with the mailed token")
        return f"one Message-ID, the mailed token works, {self._message(api, job, 'sent', 10)}"

    def dead(self, api: httpx.Client, job: Job, within: float) -> str:
        assert isinstance(job, _Reset)
        _wait_for(
            lambda: self.attempts(job), lambda seen: seen >= MAX_ATTEMPTS, within,
            "attempts at a refusing mail server",
        )  # fmt: skip
        note = self._message(api, job, "failed", within)
        time.sleep(BACKOFF_SECONDS * 2**MAX_ATTEMPTS)  # a further attempt would come by now
        if (seen := self.attempts(job)) != MAX_ATTEMPTS:
            raise OperationsCheckFailed(
                f"a mail server answering 451 got {seen} attempt(s), not {MAX_ATTEMPTS}"
            )
        return f"dead-lettered after {MAX_ATTEMPTS} attempts ({note})"

    def close(self) -> None:
        self.release()
        self.sink.__exit__()


JSON = {"Content-Type": "application/json"}


def probe(name: str, admin: Admin) -> Probe:
    """The probe a kind names in its ``queue_probe`` variable (``webhooks``, ``mail``)."""
    if name == "webhooks":
        return WebhookProbe(admin)
    if name == "mail" and isinstance(admin, Login):
        return MailProbe(admin)
    if name == "mail":
        raise OperationsCheckFailed("the mail probe needs a service's own accounts")
    raise OperationsCheckFailed(f"no queue probe named {name!r}")
