"""The issuer's public keys: its JWKS, fetched over HTTP and kept, shared by the threads.

Written on the standard library and PyJWT only, so any framework can use it: the
service's adapter (core/keys.py) makes one ``KeySet`` from its settings.

- A fetched JWKS is trusted for ``cache_seconds``, then fetched again.
- A key id it does not know fetches it again at once (a rotation of the issuer's key is
  taken without a restart), but at most every ``REFETCH_SECONDS``: tokens with made-up
  key ids cannot make the service hammer the issuer.
- A failed fetch keeps the keys it has, and is tried again at most every
  ``REFETCH_SECONDS`` (a request waits for a fetch at most ``FETCH_TIMEOUT_SECONDS``).
- No key for a token while the issuer cannot be reached: ``IssuerUnavailable``.
"""

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt

logger = logging.getLogger(__name__)

#: The signature algorithm of the issuer's keys, the only one accepted.
ALGORITHM = "RS256"
#: How often a fetch may be made that the cache does not call for (an unknown key id,
#: or a retry after a failure), per process.
REFETCH_SECONDS = 10.0
FETCH_TIMEOUT_SECONDS = 5.0
#: The largest JWKS document read; a bigger answer is no JWKS of an issuer.
MAX_DOCUMENT_BYTES = 1 << 20

Fetch = Callable[[str], Any]


class IssuerUnavailable(Exception):
    """No key can be had for a token: the issuer does not answer, and none is kept."""


def fetch_document(url: str) -> Any:
    """GET ``url`` and return its JSON (``OSError`` or ``ValueError`` when that fails)."""
    # The settings allow only http(s) URLs (no file: or other schemes).
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        body = response.read(MAX_DOCUMENT_BYTES + 1)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"the JWKS at {url} is larger than {MAX_DOCUMENT_BYTES} bytes")
    return json.loads(body)


def signing_keys(document: Any) -> dict[str, Any]:
    """The RS256 signature keys of a JWKS document by key id (``ValueError`` if it is none).

    Keys of other types or uses, and entries that are no valid key, are left out.
    """
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a JWKS document: no list of keys")
    keys: dict[str, Any] = {}
    for entry in entries:
        if not (isinstance(entry, dict) and isinstance(entry.get("kid"), str)):
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
    """The keys of the JWKS at ``url``, kept ``cache_seconds`` (see the module's rules).

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
        self._tried_at: float | None = None
        self._failed = False

    def key(self, kid: str) -> Any:
        """The public key of ``kid``.

        Raises ``KeyError`` when the issuer has no such key, ``IssuerUnavailable`` when
        the issuer cannot be asked and no key of that id is kept.
        """
        keys = self._keys
        if kid in keys and self._fresh(self._clock()):
            return keys[kid]
        # One thread fetches; the others wait for its answer instead of fetching too.
        with self._lock:
            now = self._clock()
            if (kid not in self._keys or not self._fresh(now)) and self._may_fetch(now):
                self._refresh(now)
            if kid in self._keys:
                return self._keys[kid]
            if self._failed:
                raise IssuerUnavailable(f"no key {kid!r}: the JWKS at {self.url} cannot be read")
            raise KeyError(kid)

    def _fresh(self, now: float) -> bool:
        return self._fetched_at is not None and now - self._fetched_at < self.cache_seconds

    def _may_fetch(self, now: float) -> bool:
        return self._tried_at is None or now - self._tried_at >= REFETCH_SECONDS

    def _refresh(self, now: float) -> None:
        self._tried_at = now
        try:
            keys = signing_keys(self._fetch(self.url))
        except (OSError, ValueError) as exc:
            # Down, slow, or answering nonsense: keep what we have, try again later.
            self._failed = True
            logger.warning("the issuer's JWKS cannot be fetched from %s: %s", self.url, exc)
            return
        self._keys, self._fetched_at, self._failed = keys, now, False
