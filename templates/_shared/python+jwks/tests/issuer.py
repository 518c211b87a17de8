"""A stand-in for the auth-service: RSA keys, their JWKS served over HTTP, access tokens.

Its tokens carry what auth-service's access tokens carry (``sub``, ``type``, ``iat``,
``exp``, ``jti``, ``iss``, ``aud``, ``email``, ``roles``), signed RS256 by its newest key,
whose RFC 7638 thumbprint the header names. The JWKS is served on 127.0.0.1 by a thread
of the test process, so the app fetches it the way it fetches the real one (conftest.py
points the settings at ``jwks_url``). ``rotate()`` adds a key that signs from then on, as
auth-service's key rotation does; ``down`` makes every fetch fail.
"""

import base64
import hashlib
import json
import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "http://issuer.test"
AUDIENCE = "scaffold-services"
#: ``mint``'s email unless one is given: the subject's own address.
OWN_ADDRESS = "{subject}@example.com"


def new_subject() -> str:
    """A subject no other test uses (auth-service's user ids are opaque strings)."""
    return uuid.uuid4().hex


def new_key() -> rsa.RSAPrivateKey:
    """A fresh RSA key (2048 bits, as auth-service's)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey) -> dict[str, Any]:
    """The public JWK of ``key``, its kid the RFC 7638 thumbprint."""
    jwk: dict[str, Any] = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    members = json.dumps({name: jwk[name] for name in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(members.encode()).digest()
    kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


class Issuer:
    """Keys, the JWKS server, and ``mint()``; the newest key signs."""

    issuer = ISSUER
    audience = AUDIENCE

    def __init__(self) -> None:
        self._first = new_key()
        self.keys: list[rsa.RSAPrivateKey] = [self._first]
        self.fetches = 0
        self.down = False
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def jwks_url(self) -> str:
        """Where the JWKS is served."""
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}/.well-known/jwks.json"

    @property
    def kid(self) -> str:
        """The kid of the signing key."""
        return str(public_jwk(self.keys[-1])["kid"])

    def jwks(self) -> dict[str, Any]:
        """The JWKS document: every key's public half."""
        return {"keys": [public_jwk(key) for key in self.keys]}

    def rotate(self) -> str:
        """Add a key that signs from now on (the old ones stay in the JWKS); its kid."""
        self.keys.append(new_key())
        return self.kid

    def reset(self) -> None:
        """Back to the first key, up."""
        self.keys, self.down = [self._first], False

    new_subject = staticmethod(new_subject)

    def mint(
        self,
        subject: Any,
        email: str | None = OWN_ADDRESS,
        roles: Sequence[str] = ("user",),
        *,
        key: rsa.RSAPrivateKey | None = None,
        headers: dict[str, Any] | None = None,
        algorithm: str = "RS256",
        **claims: Any,
    ) -> str:
        """An access token as auth-service issues it; ``claims`` add or replace claims
        (``None`` leaves one out), ``headers`` the header's. ``email`` is the subject's
        own address unless given (``None`` leaves it out, as any claim)."""
        now = datetime.now(UTC)
        payload: dict[str, Any] = {
            "sub": subject,
            "type": "access",
            "iat": now,
            "exp": now + timedelta(minutes=15),
            "jti": uuid.uuid4().hex,
            "iss": self.issuer,
            "aud": self.audience,
            "email": OWN_ADDRESS.format(subject=subject) if email == OWN_ADDRESS else email,
            "roles": list(roles),
            **claims,
        }
        payload = {name: value for name, value in payload.items() if value is not None}
        signer = key or self.keys[-1]
        header = {"kid": str(public_jwk(signer)["kid"]), **(headers or {})}
        header = {name: value for name, value in header.items() if value is not None}
        return jwt.encode(payload, signer, algorithm=algorithm, headers=header)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class JwksHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.fetches += 1
                if issuer.down:
                    self.send_error(503)
                    return
                body = json.dumps(issuer.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return JwksHandler


@lru_cache(maxsize=1)
def the_issuer() -> Issuer:
    """The issuer of the test run, started on first use."""
    return Issuer()
