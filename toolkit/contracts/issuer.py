"""A stand-in for auth-service as an issuer of access tokens: RSA keys, a JWKS, tokens.

A project made with the feature ``jwks`` trusts the RS256 access tokens of an issuer
(docs/jwks.md). verify runs this issuer beside it: a folder of RSA private keys (PEM
files, the newest signs), and a JWKS of all their public keys served over HTTP on
loopback. The contract suite, in another process, mints its accounts' tokens from the
same folder and rotates by adding a key to it: the JWKS answers from the folder at each
request, as auth-service's rereads its key files.

The tokens carry what auth-service's access tokens carry: ``sub``, ``type``, ``iat``,
``exp``, ``jti``, ``iss``, ``aud``, ``email``, ``roles``; the header names the key
(``kid``, its RFC 7638 thumbprint). Only the standard library and cryptography (a
toolkit dependency) are used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

#: Where a JWKS is served (auth-service's own path).
JWKS_PATH = "/.well-known/jwks.json"
#: The environment that hands the issuer to the contract suite's process.
KEYS_ENV = "SCAFFOLD_ISSUER_KEYS"
ISSUER_ENV = "SCAFFOLD_ISSUER"
AUDIENCE_ENV = "SCAFFOLD_AUDIENCE"
DEFAULT_AUDIENCE = "scaffold-services"


def b64url(data: bytes) -> str:
    """base64url without padding, as JWTs and JWKs write their parts."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(part: str) -> bytes:
    """The bytes of a base64url part written without its padding."""
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64_int(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def jwk(key: rsa.RSAPublicKey) -> dict[str, str]:
    """The public key as a JSON Web Key, its ``kid`` the RFC 7638 thumbprint."""
    numbers = key.public_numbers()
    members = {"e": _b64_int(numbers.e), "kty": "RSA", "n": _b64_int(numbers.n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    kid = b64url(hashlib.sha256(canonical).digest())
    return {**members, "use": "sig", "alg": "RS256", "kid": kid}


def sign(header: Mapping[str, Any], claims: Mapping[str, Any], key: rsa.RSAPrivateKey) -> str:
    """A compact JWS of ``claims`` with ``header``, signed RS256 with ``key``."""
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


@dataclass(frozen=True)
class Issuer:
    """The issuer that a folder of keys stands for.

    Attributes:
        keys: The folder of PEM private keys; the newest file signs.
        issuer: The ``iss`` of its tokens (the service's AUTH_ISSUER).
        audience: The ``aud`` of its tokens (the service's AUTH_AUDIENCE).
    """

    keys: Path
    issuer: str
    audience: str = DEFAULT_AUDIENCE

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Issuer | None:
        """The issuer verify handed to this process, or None (a service of its own tokens)."""
        folder = env.get(KEYS_ENV)
        if not folder:
            return None
        return cls(Path(folder), env[ISSUER_ENV], env.get(AUDIENCE_ENV, DEFAULT_AUDIENCE))

    def env(self) -> dict[str, str]:
        """What :meth:`from_env` reads."""
        return {KEYS_ENV: str(self.keys), ISSUER_ENV: self.issuer, AUDIENCE_ENV: self.audience}

    def _files(self) -> list[Path]:
        return sorted(self.keys.glob("*.pem"))

    def private_keys(self) -> list[rsa.RSAPrivateKey]:
        """Every key of the folder, oldest first."""
        keys = []
        for path in self._files():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            assert isinstance(key, rsa.RSAPrivateKey)
            keys.append(key)
        return keys

    def rotate(self) -> str:
        """Add a new signing key (the older ones stay published); return its kid."""
        self.keys.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Named by time, so that the newest sorts last; written whole, then renamed.
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        partial = self.keys / f"{name}.part"
        partial.write_bytes(pem)
        partial.chmod(0o600)
        partial.rename(self.keys / f"{name}.pem")
        return jwk(key.public_key())["kid"]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JWKS document: the public key of every key in the folder."""
        return {"keys": [jwk(key.public_key()) for key in self.private_keys()]}

    def mint(
        self,
        subject: str,
        email: str,
        roles: Sequence[str] = ("user",),
        *,
        lifetime: int = 900,
        claims: Mapping[str, Any] | None = None,
        header: Mapping[str, Any] | None = None,
        key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        """An access token as auth-service issues it, signed by the newest key.

        ``claims`` and ``header`` override or add members (one set to None is left
        out), so that a check can make a token wrong in exactly one way; ``key`` signs
        with another key (one the JWKS does not have).
        """
        signer = key or self.private_keys()[-1]
        now = int(time.time())
        payload: dict[str, Any] = {
            "sub": subject,
            "type": "access",
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            "iss": self.issuer,
            "aud": self.audience,
            "email": email,
            "roles": list(roles),
        }
        payload.update(claims or {})
        payload = {name: value for name, value in payload.items() if value is not None}
        head = {"alg": "RS256", "typ": "JWT", "kid": jwk(signer.public_key())["kid"]}
        head.update(header or {})
        head = {name: value for name, value in head.items() if value is not None}
        return sign(head, payload, signer)


class _JwksHandler(BaseHTTPRequestHandler):
    issuer: Issuer
    fetches: list[float]

    def do_GET(self) -> None:
        if self.path.split("?")[0] != JWKS_PATH:
            self.send_error(404)
            return
        self.fetches.append(time.monotonic())
        body = json.dumps(self.issuer.jwks()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class ServedIssuer:
    """An issuer whose JWKS answers at ``jwks_url``; ``fetches`` counts its requests."""

    issuer: Issuer
    jwks_url: str
    fetches: list[float]

    def service_env(self) -> dict[str, str]:
        """The settings of a service that trusts this issuer (docs/jwks.md)."""
        return {
            "AUTH_JWKS_URL": self.jwks_url,
            "AUTH_ISSUER": self.issuer.issuer,
            "AUTH_AUDIENCE": self.issuer.audience,
        }


@contextmanager
def serve_issuer(keys: Path, *, issuer: str | None = None) -> Iterator[ServedIssuer]:
    """Make a key in ``keys`` (if it has none) and serve its JWKS on a free loopback port.

    The ``iss`` is ``issuer``, by default the server's own address (as auth-service's
    default is its own).
    """
    handler = type("Handler", (_JwksHandler,), {"fetches": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    served = Issuer(keys, issuer or base)
    handler.issuer = served
    if not any(keys.glob("*.pem")):
        served.rotate()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedIssuer(served, base + JWKS_PATH, handler.fetches)
    finally:
        server.shutdown()
        server.server_close()
