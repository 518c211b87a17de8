"""The access tokens of an auth-service, verified with the public keys of its JWKS.

The JWKS is fetched over HTTP and trusted for ``AUTH_JWKS_CACHE_SECONDS``. A token
whose ``kid`` is not in it fetches it again at once (that is how a key rotation is
picked up without a restart), at most once per ``REFETCH_PAUSE_SECONDS``, so tokens
with made-up kids cannot hammer the issuer. When a fetch fails the keys fetched before
stay in use; with no key at all the request is a 503 (the issuer is down), never a 500.
"""

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm

from .config import Settings
from .errors import AppError, Unauthorized

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "type"]
#: The longest subject kept (the users' column); longer ones name no one here.
MAX_SUBJECT_LENGTH = 255
REFETCH_PAUSE_SECONDS = 10.0
FETCH_TIMEOUT_SECONDS = 5.0
MAX_JWKS_BYTES = 1024 * 1024
INVALID = "Invalid or expired token"


class IssuerUnavailable(AppError):
    """No key verifies the token and the issuer's JWKS cannot be fetched: try again later."""

    status_code = 503
    detail = "Service unavailable: the token issuer's keys cannot be fetched"


def fetch_jwks(url: str) -> dict[str, Any]:
    """GET the JWKS document at ``url`` (raises ``OSError`` or ``ValueError`` on failure)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError("AUTH_JWKS_URL is not an http(s) URL")
    # The scheme is checked above (no file: URLs).
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        document = json.loads(response.read(MAX_JWKS_BYTES))
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document")
    return document


def rsa_keys(document: dict[str, Any]) -> dict[str, Any]:
    """The RSA signing keys of a JWKS by kid; keys of other types or uses are left out."""
    keys: dict[str, Any] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig":
            continue
        kid = jwk.get("kid")
        if isinstance(kid, str) and kid:
            try:
                keys[kid] = RSAAlgorithm.from_jwk(jwk)
            except (jwt.InvalidKeyError, ValueError, KeyError, TypeError):
                logger.warning("JWKS key %r is not a valid RSA key; skipped", kid)
    return keys


class JwksCache:
    """The keys of one JWKS URL, shared by the threads of a worker process."""

    def __init__(
        self,
        url: str,
        ttl_seconds: float,
        fetch: Callable[[str], dict[str, Any]] = fetch_jwks,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.url = url
        self.ttl_seconds = ttl_seconds
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._refetched_at: float | None = None

    def key(self, kid: str) -> Any:
        """The public key of ``kid``; raise ``Unauthorized`` if the issuer has none by
        that kid, ``IssuerUnavailable`` if no key can be had at all."""
        with self._lock:
            now = self._clock()
            if self._fetched_at is None or now - self._fetched_at >= self.ttl_seconds:
                if self._pause_over(self._failed_at, now):
                    self._refresh(now)
            elif kid not in self._keys and self._pause_over(self._refetched_at, now):
                # Maybe a new key (a rotation): fetch now, but not again for a pause,
                # whatever kids come meanwhile.
                self._refetched_at = now
                self._refresh(now)
            if kid in self._keys:
                return self._keys[kid]
            if not self._keys:
                raise IssuerUnavailable()
        raise Unauthorized(INVALID)

    @staticmethod
    def _pause_over(since: float | None, now: float) -> bool:
        """Whether the pause after ``since`` (a failed fetch, a refetch) is over."""
        return since is None or now - since >= REFETCH_PAUSE_SECONDS

    def _refresh(self, now: float) -> None:
        try:
            keys = rsa_keys(self._fetch(self.url))
        except (OSError, ValueError) as error:
            # Down or answering garbage: the keys we have stay in use, and the issuer
            # is not asked again before a pause.
            logger.warning("JWKS fetch from %s failed: %s", self.url, error)
            self._failed_at = now
            return
        self._keys, self._fetched_at, self._failed_at = keys, now, None


@lru_cache(maxsize=16)
def jwks_cache(url: str, ttl_seconds: int) -> JwksCache:
    """The one cache of this worker process for a JWKS URL."""
    return JwksCache(url, ttl_seconds)


def verify_access_token(token: str, settings: Settings) -> dict[str, Any]:
    """The claims of a valid access token of the issuer, or raise ``Unauthorized``.

    Only RS256 with a ``kid`` naming a key of the issuer's JWKS; ``iss``, ``aud``,
    ``exp`` and ``type`` must be right and ``sub`` a non-empty string.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise Unauthorized(INVALID) from None
    kid = header.get("kid")
    if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid:
        raise Unauthorized(INVALID)
    key = jwks_cache(settings.auth_jwks_url, settings.auth_jwks_cache_seconds).key(kid)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=settings.auth_audience,
            issuer=settings.auth_issuer,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError:
        raise Unauthorized(INVALID) from None
    subject = claims.get("sub")
    if claims.get("type") != "access" or not usable_subject(subject):
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
