"""The access tokens of an auth-service, verified with the public keys of its JWKS.

Written on the standard library and PyJWT only, so every framework uses it as it is:
the framework's side gives ``verify_access_token`` the key set and the issuer and
audience of its settings.

- A fetched JWKS is trusted for ``cache_seconds`` (``AUTH_JWKS_CACHE_SECONDS``), then
  fetched again.
- A key id it does not know fetches it again at once (a rotation of the issuer's key is
  taken without a restart), but at most every ``REFETCH_SECONDS`` per process: tokens
  with made-up key ids cannot make the service hammer the issuer.
- A failed fetch keeps the keys it has, and is tried again at most every
  ``REFETCH_SECONDS`` (a request waits for a fetch at most ``FETCH_TIMEOUT_SECONDS``).
- No key at all while the issuer cannot be reached: ``IssuerUnavailable``, a 503 (try
  again later), never a 500.
"""

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import cache
from typing import Any

import jwt

from .errors import AppError, Unauthorized

logger = logging.getLogger(__name__)

#: The signature algorithm of the issuer's keys, the only one accepted.
ALGORITHM = "RS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "type"]
#: How far the issuer's clock may be ahead of or behind this one.
LEEWAY_SECONDS = 30
#: The longest subject kept (the users' column); longer ones name no one here.
MAX_SUBJECT_LENGTH = 255
#: How often a fetch may be made that the cache does not call for (an unknown key id,
#: or a retry after a failure), per process.
REFETCH_SECONDS = 10.0
FETCH_TIMEOUT_SECONDS = 5.0
#: The largest JWKS document read; a bigger answer is no JWKS of an issuer.
MAX_DOCUMENT_BYTES = 1 << 20
#: What every refused token answers, whatever was wrong with it.
INVALID = "Invalid or expired token"

Fetch = Callable[[str], Any]


class IssuerUnavailable(AppError):
    """No key verifies the token and the issuer's JWKS cannot be fetched: try again later."""

    status_code = 503
    detail = "Service unavailable: the token issuer's keys cannot be fetched"


def fetch_document(url: str) -> Any:
    """GET ``url`` and return its JSON (``OSError`` or ``ValueError`` when that fails)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError("AUTH_JWKS_URL is not an http(s) URL")
    # The scheme is checked above (no file: URLs).
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        body = response.read(MAX_DOCUMENT_BYTES + 1)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"the JWKS at {url} is larger than {MAX_DOCUMENT_BYTES} bytes")
    return json.loads(body)


def signing_keys(document: Any) -> dict[str, Any]:
    """The RS256 signature keys of a JWKS document by key id (``ValueError`` if it is none).

    Keys of other types, uses or algorithms, and entries that are no valid key, are left out.
    """
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a JWKS document: no list of keys")
    keys: dict[str, Any] = {}
    for entry in entries:
        if not (isinstance(entry, dict) and isinstance(entry.get("kid"), str) and entry["kid"]):
            continue
        if entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
            continue
        if entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        try:
            keys[entry["kid"]] = jwt.PyJWK(entry, algorithm=ALGORITHM).key
        except jwt.PyJWTError:
            logger.warning("the issuer's JWKS has a key that cannot be read: %s", entry["kid"])
    return keys


class KeySet:
    """The keys of the JWKS at ``url``, kept ``cache_seconds`` (see the module's rules),
    shared by the threads of a worker process.

    ``fetch`` and ``clock`` are the network and the time (the tests give their own).
    """

    def __init__(
        self,
        url: str,
        cache_seconds: float,
        *,
        fetch: Fetch = fetch_document,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.cache_seconds = cache_seconds
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._refetched_at: float | None = None

    def key(self, kid: str) -> Any:
        """The public key of ``kid``.

        Raises ``Unauthorized`` when the issuer has no key by that id, and
        ``IssuerUnavailable`` when no key at all can be had.
        """
        keys = self._keys
        if kid in keys and self._fresh(self._clock()):
            return keys[kid]
        # One thread fetches; the others wait for its answer instead of fetching too.
        with self._lock:
            now = self._clock()
            if not self._fresh(now):
                if self._pause_over(self._failed_at, now):
                    self._refresh(now)
            elif kid not in self._keys and self._pause_over(self._refetched_at, now):
                # Maybe a new key (a rotation): fetch now, but not again for a pause,
                # whatever key ids come meanwhile.
                self._refetched_at = now
                self._refresh(now)
            if kid in self._keys:
                return self._keys[kid]
            if not self._keys:
                raise IssuerUnavailable()
        raise Unauthorized(INVALID)

    def _fresh(self, now: float) -> bool:
        return self._fetched_at is not None and now - self._fetched_at < self.cache_seconds

    @staticmethod
    def _pause_over(since: float | None, now: float) -> bool:
        """Whether the pause after ``since`` (a failed fetch, a refetch) is over."""
        return since is None or now - since >= REFETCH_SECONDS

    def _refresh(self, now: float) -> None:
        try:
            keys = signing_keys(self._fetch(self.url))
        except (OSError, ValueError) as exc:
            # Down, slow, or answering nonsense: keep what we have, and do not ask again
            # before a pause.
            logger.warning("the issuer's JWKS cannot be fetched from %s: %s", self.url, exc)
            self._failed_at = now
            return
        self._keys, self._fetched_at, self._failed_at = keys, now, None


@cache
def key_set(url: str, cache_seconds: int) -> KeySet:
    """The one key set of this worker process for a JWKS URL (its cache is shared)."""
    return KeySet(url, cache_seconds)


def verify_access_token(token: str, keys: KeySet, *, issuer: str, audience: str) -> dict[str, Any]:
    """The claims of a valid access token of the issuer, or raise ``Unauthorized``.

    Only RS256 with a ``kid`` naming a key of the issuer's JWKS (``IssuerUnavailable``
    when there is no key at all); ``iss``, ``aud``, ``exp`` and ``type`` must be right
    and ``sub`` a subject this service can store.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise Unauthorized(INVALID) from None
    kid = header.get("kid")
    if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid:
        raise Unauthorized(INVALID)
    key = keys.key(kid)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError:
        raise Unauthorized(INVALID) from None
    if claims.get("type") != "access" or not usable_subject(claims.get("sub")):
        raise Unauthorized(INVALID)
    return claims


def usable_subject(subject: object) -> bool:
    """A subject this service can store: a printable string of at most 255 characters."""
    return (
        isinstance(subject, str)
        and 0 < len(subject) <= MAX_SUBJECT_LENGTH
        and subject.isprintable()
        and not subject.isspace()
    )
