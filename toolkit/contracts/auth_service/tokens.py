"""What the auth-service suites need beyond HTTP: JWT parts, RS256 checks, TOTP codes.

Only the standard library and cryptography (a toolkit dependency) are used, so the
suite needs neither PyJWT nor pyotp.
"""

import base64
import hashlib
import hmac
import json
import struct
import time
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ..issuer import b64url_decode


def header_and_claims(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload))


def audiences(claims: dict[str, Any]) -> list[str]:
    """The token's ``aud`` as a list: RFC 7519 allows one string or an array of them."""
    aud = claims.get("aud")
    return [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []


def public_key(jwk: dict[str, str]) -> rsa.RSAPublicKey:
    e, n = (int.from_bytes(b64url_decode(jwk[name]), "big") for name in ("e", "n"))
    numbers = rsa.RSAPublicNumbers(e, n)
    return numbers.public_key()


def verifies_rs256(token: str, jwk: dict[str, str]) -> bool:
    """Whether ``token``'s RS256 signature verifies with the key ``jwk``."""
    header, payload, signature = token.split(".")
    try:
        public_key(jwk).verify(
            b64url_decode(signature),
            f"{header}.{payload}".encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature:
        return False
    return True


def totp(secret: str, *, steps: int = 0, interval: int = 30) -> str:
    """The RFC 6238 code (SHA-1, 6 digits) of ``steps`` time steps from now."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(time.time()) // interval + steps
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def refresh(api: httpx.Client, refresh_token: str) -> httpx.Response:
    return api.post("/auth/refresh", json={"refresh_token": refresh_token})


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}
