"""The tests' issuer: RSA keys, their JWKS served on loopback, and its access tokens.

It stands for auth-service: its tokens carry what auth-service's access tokens carry
(``sub``, ``type``, ``iat``, ``exp``, ``jti``, ``iss``, ``aud``, ``email``, ``roles``),
signed RS256 by its newest key, whose id the header names. conftest.py points the
service's AUTH_JWKS_URL at ``ISSUER.jwks_url``.
"""

import json
import threading
import time
import uuid
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from jwt.algorithms import RSAAlgorithm

JWKS_PATH = "/.well-known/jwks.json"


def new_subject() -> str:
    """A subject the issuer never gave before."""
    return f"subject-{uuid.uuid4().hex}"


def new_key() -> rsa.RSAPrivateKey:
    """A fresh RSA key (2048 bits, as auth-service's)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Issuer:
    """Signing keys (the newest signs, all are published) and a JWKS server."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, rsa.RSAPrivateKey]] = []
        #: How many times the JWKS was fetched.
        self.fetches = 0
        #: While False the JWKS server answers 503, as an issuer that is down.
        self.up = True
        self.rotate()
        self._server: ThreadingHTTPServer | None = None

    def rotate(self) -> str:
        """Add a new signing key (the older ones stay published); return its kid."""
        kid = uuid.uuid4().hex
        self.keys.append((kid, new_key()))
        return kid

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The JWKS document of every key."""
        published = []
        for kid, key in self.keys:
            entry = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
            published.append({**entry, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": published}

    def mint(
        self,
        subject: str,
        email: str,
        roles: Sequence[str] = ("user",),
        *,
        lifetime: int = 900,
        claims: dict[str, Any] | None = None,
        header: dict[str, Any] | None = None,
        key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        """An access token signed by the newest key (or ``key``); ``claims`` and ``header``
        change or add members, and a member set to None is left out."""
        kid, signer = self.keys[-1]
        now = int(time.time())
        payload: dict[str, Any] = {
            "sub": subject,
            "type": "access",
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            "iss": settings.AUTH_ISSUER,
            "aud": settings.AUTH_AUDIENCE,
            "email": email,
            "roles": list(roles),
            **(claims or {}),
        }
        headers = {"kid": kid, **(header or {})}
        return jwt.encode(
            {name: value for name, value in payload.items() if value is not None},
            key or signer,
            algorithm="RS256",
            headers={name: value for name, value in headers.items() if value is not None},
        )

    @property
    def jwks_url(self) -> str:
        """Where the JWKS answers (the server starts on first use)."""
        if self._server is None:
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
            threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}{JWKS_PATH}"


def _handler(issuer: Issuer) -> type[BaseHTTPRequestHandler]:
    class JwksHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            issuer.fetches += 1
            status, body = (200, json.dumps(issuer.jwks()).encode()) if issuer.up else (503, b"")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read the fetch count, not a log."""

    return JwksHandler


ISSUER = Issuer()
