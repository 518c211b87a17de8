"""verify's `cache` step (check_cache) against a fake cached service: it passes a right
one and names what is wrong with one that serves stale or another user's entries."""

import base64
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from toolkit._operations_checks import IssuedAdmin, Login, OperationsCheckFailed, check_cache
from toolkit.contracts.issuer import Issuer

CHECK = {
    "read": "/things?q={marker}",
    "write": "/things",
    "body": '{"name": "{marker}"}',
    "writer": "user",
}
ADMIN = Login("admin@example.com", "admin-password")


class FakeCachedService:
    """Things per user, a list cached per caller and generation; faults on request."""

    def __init__(
        self, log: Path, *, bumps: bool = True, per_caller: bool = True, per_role: bool = True
    ):
        self.log = log
        self.bumps = bumps
        self.per_caller = per_caller
        self.per_role = per_role
        self.down = False
        self.lock = threading.Lock()
        self.things: dict[str, list[str]] = {}
        self.entries: dict[tuple[int, str, str], bytes] = {}
        self.generation = 0
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def answer(self, status: int, body: bytes, cache: str | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if cache:
                    self.send_header("X-Cache", cache)
                self.end_headers()
                self.wfile.write(body)

            def caller(self) -> str:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token.startswith("tok-"):
                    return token.removeprefix("tok-")
                # An issuer's token: its subject, and the roles it carries unless faulty.
                part = token.split(".")[1]
                claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
                roles = sorted(claims["roles"]) if service.per_role else []
                return f"{claims['sub']}:{','.join(roles)}"

            def do_POST(self) -> None:
                sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with service.lock:
                    if self.path == "/auth/register":
                        return self.answer(201, b"{}")
                    if self.path == "/auth/login":
                        token = json.dumps({"access_token": f"tok-{sent['email']}"})
                        return self.answer(200, token.encode())
                    service.things.setdefault(self.caller(), []).append(sent["name"])
                    if service.bumps:
                        service.generation += 1
                return self.answer(201, b"{}")

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                caller = self.caller()
                query = parse_qs(url.query).get("q", [""])[0]
                with service.lock:
                    mine = [t for t in service.things.get(caller, []) if query in t]
                    body = json.dumps({"items": mine}).encode()
                    if service.down:
                        with service.log.open("a") as log:
                            log.write(
                                '{"level": "warning", "message": "the cache is bypassed for'
                                ' 5 s in process 7: Redis cannot be reached"}\n'
                            )
                        return self.answer(200, body, "bypass")
                    key = (service.generation, url.query, caller if service.per_caller else "")
                    if key in service.entries:
                        return self.answer(200, service.entries[key], "hit")
                    service.entries[key] = body
                return self.answer(200, body, "miss")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def cut(self) -> None:
        self.down = True

    def restore(self) -> None:
        self.down = False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def cached_service(tmp_path: Path) -> Iterator[Callable[..., FakeCachedService]]:
    made: list[FakeCachedService] = []

    def make(**faults: bool) -> FakeCachedService:
        made.append(FakeCachedService(tmp_path / "server.log", **faults))
        return made[-1]

    yield make
    for service in made:
        service.close()


def test_the_cache_check_passes_a_right_service(
    cached_service: Callable[..., FakeCachedService],
) -> None:
    service = cached_service()
    summary = check_cache(service.port, service, service.log, CHECK, ADMIN)
    assert "miss then hit" in summary and "6 reads on new connections saw it" in summary
    assert "4 x 200 bypass, a warning logged by 1 worker process(es)" in summary


def test_the_cache_check_fails_a_service_whose_writes_leave_stale_entries(
    cached_service: Callable[..., FakeCachedService],
) -> None:
    service = cached_service(bumps=False)
    with pytest.raises(OperationsCheckFailed, match="did not show it"):
        check_cache(service.port, service, service.log, CHECK, ADMIN)


def test_the_cache_check_fails_a_service_that_shares_entries_between_users(
    cached_service: Callable[..., FakeCachedService],
) -> None:
    service = cached_service(per_caller=False)
    with pytest.raises(OperationsCheckFailed, match=r"another user's first read .* was a hit"):
        check_cache(service.port, service, service.log, CHECK, ADMIN)


def test_the_cache_check_wants_a_warning_while_redis_is_cut(
    cached_service: Callable[..., FakeCachedService], tmp_path: Path
) -> None:
    service = cached_service()
    service.log = tmp_path / "elsewhere.log"  # the service logs where the check does not read
    elsewhere = tmp_path / "empty.log"
    elsewhere.write_text("")
    with pytest.raises(OperationsCheckFailed, match="no JSON warning"):
        check_cache(service.port, service, elsewhere, CHECK, ADMIN)


@pytest.fixture
def issued_admin(tmp_path: Path) -> IssuedAdmin:
    issuer = Issuer(tmp_path / "keys", "https://issuer.example")
    issuer.rotate()
    return IssuedAdmin(issuer)


def test_the_cache_check_passes_a_service_keyed_by_the_tokens_roles(
    cached_service: Callable[..., FakeCachedService], issued_admin: IssuedAdmin
) -> None:
    service = cached_service()
    summary = check_cache(service.port, service, service.log, CHECK, issued_admin)
    assert "as an admin (token roles) entries apart from its plain token's" in summary
    # A service of its own tokens: the role is stored, the step has nothing more to say.
    assert "as an admin" not in check_cache(service.port, service, service.log, CHECK, ADMIN)


def test_the_cache_check_fails_a_service_that_keys_a_token_by_its_subject_alone(
    cached_service: Callable[..., FakeCachedService], issued_admin: IssuedAdmin
) -> None:
    service = cached_service(per_role=False)
    with pytest.raises(OperationsCheckFailed, match=r"X-Cache \['hit', 'hit', 'hit', 'hit'\]"):
        check_cache(service.port, service, service.log, CHECK, issued_admin)
