"""Verification: install a generated project, check it, test it, serve it, run its contract.

Every step runs a command the project documents (its README's setup, lint, typecheck, test,
migrate and serve commands, from the same layer data), so a green verify also
proves the README. The contract suite is black-box HTTP, run from the toolkit.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ._answers import ANSWERS_FILE, read_record
from ._catalog import Catalog, load_catalog
from ._model import build_model
from ._operations_checks import (
    ACCOUNT_RATE_LIMIT,
    RATE_LIMIT,
    Admin,
    DatabaseProxy,
    IssuedAdmin,
    Login,
    OperationsCheckFailed,
    check_account_limit,
    check_cache,
    check_graceful_stop,
    check_metrics,
    check_outage,
    check_rate_limits,
    database_outage,
)
from ._paths import contracts_root
from ._queue_check import FAST_SWEEP_SECONDS, Probe, Worker, check_queue, probe
from ._spec import ProjectSpec
from .contracts.issuer import Issuer, ServedIssuer, serve_issuer
from .errors import NotAProjectError, VerificationError

#: How much of a failed step's output the report keeps.
DETAIL_LINES = 60
SERVER_START_TIMEOUT = 60.0
#: How long the server may take to write a request's log line after answering it.
REQUEST_LOG_TIMEOUT = 2.0
#: The Redis of projects with the feature "ratelimit", and this machine's default.
REDIS_ENV = "SCAFFOLD_REDIS_URL"
REDIS_DEFAULT = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True, slots=True)
class StepResult:
    """One step of a verification.

    Attributes:
        name: The step (``setup``, ``lint``, ``typecheck``, ``test``, ``migrate``,
            ``create-admin``, ``start``, ``request-log``, ``contract``, ``metrics`` (a
            project with metrics), ``outage``, ``graceful-stop``, ``stop``).
        ok: Whether it succeeded.
        seconds: How long it took.
        command: The command it ran, if any.
        detail: The end of its output when it failed, or a short note.
    """

    name: str
    ok: bool
    seconds: float
    command: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the step as JSON-ready data."""
        return {
            "name": self.name,
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "command": self.command,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of :func:`verify`: every step, in order."""

    path: Path
    spec: ProjectSpec | None
    steps: tuple[StepResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """Whether every step succeeded."""
        return bool(self.steps) and all(step.ok for step in self.steps)

    @property
    def seconds(self) -> float:
        """Total time of the steps."""
        return sum(step.seconds for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (``scaffold verify --json``)."""
        return {
            "path": str(self.path),
            "spec": None if self.spec is None else self.spec.to_dict(),
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "steps": [step.to_dict() for step in self.steps],
        }


def read_spec(path: Path) -> ProjectSpec:
    """Read what a generated project is from its answers file."""
    answers = path / ANSWERS_FILE
    if not answers.is_file():
        raise NotAProjectError(f"{path} is not a scaffold project (no {ANSWERS_FILE})")
    try:
        return ProjectSpec.from_dict(json.loads(answers.read_text()))
    except (ValueError, KeyError, TypeError) as exc:
        raise NotAProjectError(f"{answers} is not a valid answers file: {exc}") from exc


def verify(
    path: str | os.PathLike[str],
    *,
    catalog: Catalog | None = None,
    on_step: Callable[[StepResult], None] | None = None,
) -> VerifyReport:
    """Install, lint, test, serve and contract-test the project at ``path``.

    The project's environment is created in ``.venv`` (reused when present). The
    service runs with its real server command on a free port, against a throwaway
    database, with a random secret and a throwaway admin; the kind's contract suite
    runs against it; the server is always stopped.

    Args:
        path: A project made by :func:`toolkit.generate`.
        catalog: The catalog to use (the toolkit's own by default).
        on_step: Called with each step as soon as it ends (for progress output).

    Returns:
        The report; ``report.ok`` tells whether every step passed.

    Raises:
        NotAProjectError: ``path`` is not a scaffold project.
    """
    project = Path(path).resolve()
    recorded = read_record(project)
    if recorded.template is not None:
        return verify_commands(project, recorded.template.commands, on_step=on_step)
    spec = recorded.spec
    assert spec is not None
    catalog = catalog or load_catalog()
    catalog.require_packs(recorded.packs, project.name)
    catalog.validate(spec)
    model = build_model(catalog.layer_paths(spec))
    commands = {name: value.format(package=spec.package) for name, value in model.commands.items()}
    steps: list[StepResult] = []

    def record(step: StepResult) -> bool:
        steps.append(step)
        if on_step is not None:
            on_step(step)
        return step.ok

    with (
        tempfile.TemporaryDirectory(prefix="scaffold-verify-") as scratch,
        contextlib.ExitStack() as stack,
    ):
        env = _service_env(project, model.vars, Path(scratch))
        issuer: ServedIssuer | None = None
        if model.vars.get("jwks"):
            # The service trusts the tokens of an issuer of verify's (auth-service's
            # stand-in, toolkit/contracts/issuer.py), whose JWKS answers on loopback.
            issuer = stack.enter_context(serve_issuer(Path(scratch) / "issuer-keys"))
            env.update(issuer.service_env())
        database = catalog.databases[spec.database]
        server = database.server_url()
        if server is not None:
            # The project's tests make their own databases on the server; the service
            # gets one of its own, dropped at the end.
            stack_server = _url_with(
                server, scheme=model.vars["url_scheme"], query=model.vars.get("url_query", "")
            )
            env["TEST_DATABASE_URL"] = stack_server
            env["DATABASE_URL"] = _url_with(stack_server, path=f"/verify_{secrets.token_hex(6)}")
        if model.vars.get("ratelimit"):
            # The service counts in this machine's Redis under keys of this run (every
            # answer of the contract has the headers), with limits that the contract (one
            # client, thousands of requests) never reaches; the ratelimit check starts a
            # server of its own with a small limit.
            env.update(
                REDIS_URL=os.environ.get(REDIS_ENV, REDIS_DEFAULT),
                RATE_LIMIT_PER_MINUTE="1000000",
                RATE_LIMIT_ACCOUNT_PER_MINUTE="1000000",
                RATE_LIMIT_KEY_PREFIX=f"verify-{secrets.token_hex(6)}",
            )
        if model.vars.get("cache"):
            # The service caches in this machine's Redis under keys of this run: the
            # contract runs against it with the cache on; the cache check starts a
            # server of its own.
            env.update(
                REDIS_URL=os.environ.get(REDIS_ENV, REDIS_DEFAULT),
                CACHE_KEY_PREFIX=f"verify-{secrets.token_hex(6)}",
            )
        if model.vars.get("queue"):
            # The service and its worker queue jobs in this machine's Redis under keys
            # of this run; the queue check starts a server and workers of its own.
            env.update(
                REDIS_URL=os.environ.get(REDIS_ENV, REDIS_DEFAULT),
                QUEUE_PREFIX=f"verify-{secrets.token_hex(6)}",
            )
        runner = _Runner(project, env)
        setup = commands["setup"] if _uv() else commands["setup_pip"]
        if not record(runner.run("setup", setup, timeout=900)):
            return VerifyReport(project, spec, tuple(steps))
        record(runner.run("lint", commands["lint"], timeout=300))
        if "typecheck" in commands:
            record(runner.run("typecheck", commands["typecheck"], timeout=300))
        record(runner.run("test", commands["test"], timeout=900, note=coverage_note))
        if not record(runner.run("create-database", commands["create_database"], timeout=120)):
            return VerifyReport(project, spec, tuple(steps))
        try:
            _serve_and_check(spec, commands, runner, record, catalog, model.vars, issuer)
        finally:
            record(runner.run("drop-database", commands["drop_database"], timeout=120))
    return VerifyReport(project, spec, tuple(steps))


def verify_commands(
    project: Path,
    commands: Mapping[str, str],
    *,
    on_step: Callable[[StepResult], None] | None = None,
) -> VerifyReport:
    """Verify a project of a cookiecutter template: run the commands its template declares.

    Each command (``setup``, ``lint``, ``test``..., in the template's order) is a step,
    run in the project with the environment of :func:`verify`'s steps; a failed one ends
    the run. There is no server or contract: a template has no kind.

    Raises:
        VerificationError: The template declares no commands.
    """
    if not commands:
        raise VerificationError(
            f"{project.name} is made from a cookiecutter template that declares nothing to "
            'run: add "_scaffold": {"commands": {"setup": "...", "test": "..."}} to its '
            "cookiecutter.json"
        )
    steps: list[StepResult] = []
    with tempfile.TemporaryDirectory(prefix="scaffold-verify-") as scratch:
        runner = _Runner(project, _service_env(project, {}, Path(scratch)))
        for name, command in commands.items():
            step = runner.run(name, command, timeout=900)
            steps.append(step)
            if on_step is not None:
                on_step(step)
            if not step.ok:
                break
    return VerifyReport(project, None, tuple(steps))


def _serve_and_check(
    spec: ProjectSpec,
    commands: Mapping[str, str],
    runner: _Runner,
    record: Callable[[StepResult], bool],
    catalog: Catalog,
    variables: Mapping[str, Any],
    issuer: ServedIssuer | None = None,
) -> None:
    """Migrate, create the admin, start the server, run the contract, stop the server.

    With an ``issuer`` (the feature jwks) there is no admin to create: the admin is a
    token of the issuer with the role "admin", and the contract runs in issuer mode.

    ``variables`` are the project's ``[vars]``. ``metrics`` is what a project with
    Prometheus metrics declares (``path``, ``token_variable``): the server then gets a
    token of verify's, and the ``metrics`` step checks the counts after the contract;
    ``ratelimit``, what a project with shared rate limits declares, adds the
    ``ratelimit`` step; ``cache`` (with ``cache_check``), what a project with the
    read-through cache declares, the ``cache`` step.
    """
    env = runner.env
    metrics: Mapping[str, str] | None = variables.get("metrics")
    if not record(runner.run("migrate", commands["migrate"], timeout=300)):
        return
    admin: Admin
    if issuer is None:
        if not record(runner.run("create-admin", commands["create_admin"], timeout=120)):
            return
        admin = Login(env["FIRST_ADMIN_EMAIL"], env["FIRST_ADMIN_PASSWORD"])
    else:
        admin = IssuedAdmin(issuer.issuer)
    port = _free_port()
    metrics_token = secrets.token_urlsafe(24)
    server_env = {metrics["token_variable"]: metrics_token} if metrics else {}
    with (
        database_outage(env["DATABASE_URL"]) as (outage, service_url),
        _worker(runner, commands.get("worker"), record),
        _server(runner, commands["serve"], port, record, service_url, server_env) as served,
    ):
        if served is None:
            return
        base_url, process = served
        started = time.perf_counter()
        ok, output = run_contract(
            spec.kind,
            base_url,
            admin_email=env["FIRST_ADMIN_EMAIL"] if issuer is None else None,
            admin_password=env["FIRST_ADMIN_PASSWORD"] if issuer is None else None,
            issuer=issuer.issuer if issuer is not None else None,
            catalog=catalog,
        )
        detail = _summary(output) if ok else _tail(output)
        command = f"contract {spec.kind} {base_url}"
        record(StepResult("contract", ok, time.perf_counter() - started, command, detail))
        if metrics:
            template = _templated_read(catalog, spec.kind)
            _check(
                record,
                "metrics",
                lambda: check_metrics(port, metrics["path"], metrics_token, template),
            )
        if variables.get("ratelimit"):
            _check(
                record, "ratelimit", lambda: _check_rate_limits(runner, commands["serve"], admin)
            )
        if variables.get("cache"):
            check = variables["cache_check"]
            _check(record, "cache", lambda: _check_cache(runner, commands["serve"], check, admin))
        _check(record, "outage", lambda: check_outage(port, outage, admin))
        _check(record, "graceful-stop", lambda: check_graceful_stop(process, port, admin))
    if variables.get("queue") and "worker" in commands:
        # After the main server and worker have stopped: the check's worker is then the
        # only one taking jobs from the outbox.
        probe_name = variables.get("queue_probe", "")
        _check(record, "queue", lambda: _check_queue(runner, commands, probe(probe_name, admin)))


def _templated_read(catalog: Catalog, kind: str) -> str:
    """The first GET endpoint of the kind with a path parameter (``/users/{user_id}``)."""
    return next(
        endpoint.path
        for endpoint in catalog.kind(kind).endpoints
        if endpoint.method == "GET" and "{" in endpoint.path
    )


def _check(record: Callable[[StepResult], bool], name: str, check: Callable[[], str]) -> bool:
    """Record an operations check as a step: its summary, or why it failed."""
    started = time.perf_counter()
    try:
        ok, detail = True, check()
    except (OperationsCheckFailed, OSError, http.client.HTTPException) as exc:
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return record(StepResult(name, ok, time.perf_counter() - started, None, detail))


def _check_rate_limits(runner: _Runner, command: str, accounts: Admin) -> str:
    """Start a second server with small limits and Redis behind a proxy; check it.

    Its own keys and a client address of its own in X-Forwarded-For (127.0.0.1, this
    process, is the trusted proxy): the main server's counts are not touched. The
    account's limit is checked on a new account of ``accounts``' kind (the service's own,
    or with the feature jwks a token of verify's issuer), before Redis is cut.
    """
    settings = {
        "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
        "RATE_LIMIT_ACCOUNT_PER_MINUTE": str(ACCOUNT_RATE_LIMIT),
        "RATE_LIMIT_KEY_PREFIX": f"verify-{secrets.token_hex(6)}",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    with _second_server(runner, command, "ratelimit", settings) as served:
        account = check_account_limit(served.port, accounts)
        return f"{check_rate_limits(served.port, served.proxy, served.log)}; {account}"


def _check_cache(runner: _Runner, command: str, check: Mapping[str, str], admin: Admin) -> str:
    """Start a second server with Redis behind a proxy, caching under keys of its own; check it."""
    settings = {"CACHE_KEY_PREFIX": f"verify-{secrets.token_hex(6)}"}
    with _second_server(runner, command, "cache", settings) as served:
        return check_cache(served.port, served.proxy, served.log, check, admin)


def _check_queue(runner: _Runner, commands: Mapping[str, str], probe: Probe) -> str:
    """Start a server and the worker with Redis behind a proxy, under keys of their own; check.

    The phases are toolkit/_queue_check.py's; the worker is started again between them.
    """
    scratch = Path(runner.env["SCAFFOLD_SCRATCH"])
    prefix = {"QUEUE_PREFIX": f"verify-{secrets.token_hex(6)}"}
    starts = itertools.count()
    health = commands.get("worker_health", "")
    try:
        with _second_server(
            runner, commands["serve"], "queue", {**prefix, **probe.settings(FAST_SWEEP_SECONDS)}
        ) as served:
            shared = {"REDIS_URL": served.redis_url, **prefix}

            def start_worker(settings: Mapping[str, str]) -> subprocess.Popen[bytes]:
                # A log per start: a killed worker's last words stay readable.
                log = scratch / f"queue-worker-{next(starts)}.log"
                return runner.start(commands["worker"], log, {**shared, **settings})

            def kill(process: subprocess.Popen[bytes]) -> None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

            def healthy() -> bool:
                # With the worker's own settings: its prefix names the heartbeat it keeps.
                settings = {**shared, **probe.settings(FAST_SWEEP_SECONDS)}
                return runner.run("worker-health", health, timeout=30, extra_env=settings).ok

            def logs() -> str:
                return "".join(
                    f"--- {path.name}\n{_tail(path.read_text(errors='replace'))}\n"
                    for path in sorted(scratch.glob("queue-worker-*.log"))
                )

            worker = Worker(start_worker, _stop, kill, healthy if health else None, logs)
            return check_queue(f"http://127.0.0.1:{served.port}", served.proxy, worker, probe)
    finally:
        probe.close()


@dataclass(frozen=True)
class _SecondServer:
    """A server of an operations check: its port, its Redis proxy and URL, its output."""

    port: int
    proxy: DatabaseProxy
    redis_url: str
    log: Path


@contextmanager
def _second_server(
    runner: _Runner, command: str, name: str, settings: Mapping[str, str]
) -> Iterator[_SecondServer]:
    """Start a server beside the main one, with ``settings`` and Redis behind a proxy.

    The yield comes once /health answers (OperationsCheckFailed with the output's tail if
    it never does); the output goes to ``{name}-server.log`` in the scratch folder. The
    server is stopped and the proxy closed on the way out.
    """
    redis_url = urlsplit(runner.env["REDIS_URL"])
    proxy = DatabaseProxy(redis_url.hostname or "127.0.0.1", redis_url.port or 6379)
    proxied = urlunsplit(redis_url._replace(netloc=f"127.0.0.1:{proxy.port}"))
    port = _free_port()
    log = Path(runner.env["SCAFFOLD_SCRATCH"]) / f"{name}-server.log"
    try:
        process = runner.start(command, log, {"REDIS_URL": proxied, **settings, "PORT": str(port)})
        try:
            healthy, note = _wait_healthy(
                process, f"http://127.0.0.1:{port}/health", SERVER_START_TIMEOUT
            )
            if not healthy:
                raise OperationsCheckFailed(f"{note}\n{_tail(log.read_text(errors='replace'))}")
            yield _SecondServer(port, proxy, proxied, log)
        finally:
            _stop(process)
    finally:
        proxy.close()


def run_contract(
    kind: str,
    base_url: str,
    *,
    admin_email: str | None = None,
    admin_password: str | None = None,
    extra_args: tuple[str, ...] = (),
    issuer: Issuer | None = None,
    catalog: Catalog | None = None,
) -> tuple[bool, str]:
    """Run the black-box contract suite of ``kind`` against a running service.

    The common suite (``toolkit/contracts/common``) runs with the kind's own: the
    toolkit's for a built-in kind, ``contracts/<kind>/`` of its pack for a pack's.

    Args:
        kind: The kind id, e.g. ``"task-api"``.
        base_url: Where the service answers, e.g. ``"http://127.0.0.1:8000"``.
        admin_email: An admin account on that service, for the admin checks.
        admin_password: Its password.
        extra_args: More pytest arguments (``-x``, ``-k name``).
        issuer: The issuer whose tokens the service trusts (the feature jwks): the
            suite then runs in issuer mode, its accounts minted by it.
        catalog: The catalog the kind is in (the toolkit's own, with its packs, by default).

    Returns:
        Whether it passed, and pytest's output.
    """
    from ._packs import TEMPLATES_ENV

    catalog = catalog or load_catalog()
    found = catalog.kind(kind)
    root = contracts_root()
    suite = found.contract_suite
    if not suite.is_dir():
        raise VerificationError(f"no contract suite for kind {kind!r} (looked in {suite})")
    env = dict(os.environ, SCAFFOLD_BASE_URL=base_url.rstrip("/"), SCAFFOLD_KIND=kind)
    # The suite's process reads the catalog again (the OpenAPI check): the same packs.
    folders = [str(p.root) for p in catalog.packs if p.from_folder]
    env[TEMPLATES_ENV] = os.pathsep.join(folders)
    if admin_email and admin_password:
        env.update(SCAFFOLD_ADMIN_EMAIL=admin_email, SCAFFOLD_ADMIN_PASSWORD=admin_password)
    if issuer is not None:
        env.update(issuer.env())
    from_pack = found.source is not None and not found.source.builtin
    argv = [
        sys.executable,
        "-m",
        "pytest",
        str(root / "common"),
        str(suite),
        "-c",
        str(root / "pytest.ini"),
        "--rootdir",
        str(root),
        "-p",
        "no:cacheprovider",
        # A pack's suite gets the common fixtures; conftest files of whatever folders
        # hold the pack (a repository's own tests) stay out of its run.
        *(
            ["-p", "toolkit.contracts.packs", "--confcutdir", str(suite.parent)]
            if from_pack
            else []
        ),
        "-q",
        *extra_args,
    ]
    completed = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    return completed.returncode == 0, completed.stdout + completed.stderr


#: The total line of coverage.py's report (``TOTAL  1344  103  92%``), and the share of
#: lines a Node project's test/run.js prints (``Lines        : 96.06% ( 2859/2976 )``, the
#: format of c8's summary, which projects of older versions print).
_COVERAGE_TOTAL = re.compile(
    r"^(?:TOTAL\s.*?(\d+(?:\.\d+)?)%|Lines\s*:\s*(\d+(?:\.\d+)?)%\s.*\))\s*$", re.MULTILINE
)


def coverage_note(output: str) -> str:
    """Return ``"coverage 92%"`` from a test run's coverage report, or ``""`` without one."""
    found = ["".join(groups) for groups in _COVERAGE_TOTAL.findall(output)]
    return f"coverage {found[-1]}%" if found else ""


class _Runner:
    """Runs one project's commands in its folder, with its tools first on PATH."""

    def __init__(self, project: Path, env: Mapping[str, str]):
        self.project = project
        self.env = dict(env)

    def run(
        self,
        name: str,
        command: str,
        *,
        timeout: float,
        note: Callable[[str], str] | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> StepResult:
        """Run ``command``; on success, ``note`` may sum its output up in the detail."""
        started = time.perf_counter()
        try:
            completed = subprocess.run(
                ["bash", "-c", command],
                cwd=self.project,
                env={**self.env, **(extra_env or {})},
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            output = _text(exc.stdout) + _text(exc.stderr)
            return StepResult(
                name,
                False,
                time.perf_counter() - started,
                command,
                f"timed out after {timeout:.0f} s\n{_tail(output)}",
            )
        output = completed.stdout + completed.stderr
        ok = completed.returncode == 0
        detail = (note(output) if note else "") if ok else _tail(output)
        return StepResult(name, ok, time.perf_counter() - started, command, detail)

    def start(
        self, command: str, log: Path, extra_env: Mapping[str, str]
    ) -> subprocess.Popen[bytes]:
        handle = log.open("wb")
        try:
            return subprocess.Popen(
                ["bash", "-c", f"exec {command}"],
                cwd=self.project,
                env={**self.env, **extra_env},
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() reaches the workers
            )
        finally:
            handle.close()


@contextmanager
def _server(
    runner: _Runner,
    command: str,
    port: int,
    record: Callable[[StepResult], bool],
    database_url: str,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]] | None]:
    """Start the server on ``database_url`` (and ``extra_env``); yield its URL and process.

    The yield comes once /health answers, with None if it never does.
    """
    log = Path(runner.env["SCAFFOLD_SCRATCH"]) / "server.log"
    started = time.perf_counter()
    process = runner.start(
        command, log, {**(extra_env or {}), "PORT": str(port), "DATABASE_URL": database_url}
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        healthy, note = _wait_healthy(process, f"{base_url}/health", SERVER_START_TIMEOUT)
        detail = note if healthy else f"{note}\n{_tail(log.read_text(errors='replace'))}"
        record(StepResult("start", healthy, time.perf_counter() - started, command, detail))
        if healthy:
            record(_check_request_log(base_url, log))
        yield (base_url, process) if healthy else None
    finally:
        stopping = time.perf_counter()
        code = _stop(process)
        record(
            StepResult(
                "stop", True, time.perf_counter() - stopping, None, f"server exit status {code}"
            )
        )


@contextmanager
def _worker(
    runner: _Runner, command: str | None, record: Callable[[StepResult], bool]
) -> Iterator[None]:
    """Run the project's background worker, if it has one, while the service is checked."""
    if command is None:
        yield
        return
    log = Path(runner.env["SCAFFOLD_SCRATCH"]) / "worker.log"
    started = time.perf_counter()
    process = runner.start(command, log, {})
    try:
        yield
    finally:
        alive = process.poll() is None
        code = _stop(process)
        output = log.read_text(errors="replace")
        detail = f"worker exit status {code}" if alive else f"worker died early\n{_tail(output)}"
        record(StepResult("worker", alive, time.perf_counter() - started, command, detail))


def _check_request_log(base_url: str, log: Path) -> StepResult:
    """Send a request with an id of verify's own; the server's output must log its JSON line.

    The line must carry the id, the method, the path, the status and a duration: what
    the project's logs promise (LOG_FORMAT=json is every stack's default). The server
    writes it before or just after the answer; the wait is bounded.
    """
    import urllib.error
    import urllib.request

    started = time.perf_counter()
    rid = f"verify-{secrets.token_hex(8)}"
    url = f"{base_url}/health"
    command = f"GET {url} (X-Request-ID: {rid}), then read the server's output"
    try:
        request = urllib.request.Request(url, headers={"X-Request-ID": rid})
        with urllib.request.urlopen(request, timeout=5) as response:
            echoed = response.headers.get("X-Request-ID")
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        return StepResult("request-log", False, time.perf_counter() - started, command, str(exc))
    deadline = time.monotonic() + REQUEST_LOG_TIMEOUT
    line = _logged_request(log.read_text(errors="replace"), rid)
    while line is None and time.monotonic() < deadline:
        time.sleep(0.05)
        line = _logged_request(log.read_text(errors="replace"), rid)
    if echoed != rid:
        detail = f"the answer's X-Request-ID is {echoed!r}, not {rid!r}"
    elif line is None:
        tail = _tail(log.read_text(errors="replace"))
        detail = f"no JSON line of request {rid} (method, path, status, duration_ms)\n{tail}"
    else:
        detail = f"logged GET /health {line['status']} in {line['duration_ms']} ms as {rid}"
    ok = echoed == rid and line is not None
    return StepResult("request-log", ok, time.perf_counter() - started, command, detail)


def _logged_request(output: str, rid: str) -> dict[str, Any] | None:
    """The JSON log line of the GET /health whose request id is ``rid``, if ``output`` has it."""
    for text in output.splitlines():
        if rid not in text:
            continue
        try:
            line = json.loads(text)
        except ValueError:
            continue
        if not isinstance(line, dict) or line.get("request_id") != rid:
            continue
        request = (line.get("method"), line.get("path"), line.get("status"))
        if request == ("GET", "/health", 200) and isinstance(line.get("duration_ms"), int | float):
            return line
    return None


def _wait_healthy(process: subprocess.Popen[bytes], url: str, timeout: float) -> tuple[bool, str]:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False, f"server exited with status {process.returncode} before answering"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True, f"healthy at {url}"
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    return False, f"no healthy answer from {url} within {timeout:.0f} s"


def _stop(process: subprocess.Popen[bytes]) -> int | None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    return process.returncode


def _service_env(project: Path, variables: Mapping[str, Any], scratch: Path) -> dict[str, str]:
    """Return the environment of every step.

    The project's tools come first on PATH, and the settings (secret, database,
    admin) are throwaway ones, so that nothing of the user's is touched.
    """
    tool_dirs = [str(project / p) for p in variables.get("bin_path", [])]
    tool_dirs.extend(_tool_dirs(scratch))
    # PYTHONDONTWRITEBYTECODE is dropped so that the first step's imports are compiled
    # once for all the later ones (each server worker would compile them again).
    dropped = {"VIRTUAL_ENV", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        PATH=os.pathsep.join([*tool_dirs, env.get("PATH", "")]),
        UV_PYTHON_DOWNLOADS="never",
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=f"sqlite:///{scratch / 'verify.db'}",
        FIRST_ADMIN_EMAIL=f"admin-{secrets.token_hex(4)}@example.com",
        FIRST_ADMIN_PASSWORD=secrets.token_urlsafe(16),
        WEB_CONCURRENCY="2",
        # The contract suites sign up hundreds of accounts: verify runs the service with
        # a cheaper argon2id cost (still argon2id) so that CI spends its time on checks.
        PASSWORD_HASH_TIME_COST="1",
        PASSWORD_HASH_MEMORY_KIB="8192",
        # One client sends them all: more /auth requests within a minute than the
        # per-client limit of Express projects (600) lets through one worker process.
        RATE_LIMIT_PER_MINUTE="6000",
        SCAFFOLD_SCRATCH=str(scratch),
    )
    return env


def _tool_dirs(scratch: Path) -> list[str]:
    """Return the folders that give the setup step uv and the base Python.

    The toolkit's own bin folder must not be on PATH: a project step could find the
    toolkit's pytest or ruff, and uv would install into the toolkit's environment. So
    uv gets a folder of its own, and Python is found in its real installation folder
    (a linked python3 would end up as the home of the project's .venv, and vanish).
    """
    shims = scratch / "bin"
    shims.mkdir(exist_ok=True)
    uv = _uv()
    if uv is not None and not (shims / "uv").exists():
        (shims / "uv").symlink_to(uv)
    base = Path(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))
    return [str(shims), str(base.parent)]


def _url_with(
    url: str, *, scheme: str | None = None, path: str | None = None, query: str | None = None
) -> str:
    """Replace parts of a URL (the driver scheme, the database path, the query)."""
    parts = urlsplit(url)
    return urlunsplit(
        (
            scheme or parts.scheme,
            parts.netloc,
            parts.path if path is None else path,
            query or parts.query,
            "",
        )
    )


def _uv() -> str | None:
    local = Path(sys.executable).parent / "uv"
    return str(local) if local.exists() else shutil.which("uv")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _tail(output: str) -> str:
    return "\n".join(output.strip().splitlines()[-DETAIL_LINES:])


def _summary(output: str) -> str:
    lines = output.strip().splitlines()
    return lines[-1] if lines else ""


__all__ = [
    "StepResult",
    "VerifyReport",
    "read_spec",
    "run_contract",
    "verify",
    "verify_commands",
]
