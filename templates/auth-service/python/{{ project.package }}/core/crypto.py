"""Secrets at rest: keyed digests of tokens and codes, and sealed (encrypted) TOTP secrets.

Refresh tokens, reset tokens and recovery codes are stored only as HMAC-SHA256 digests
keyed with SECRET_KEY: a copy of the database alone lets nobody use them. TOTP secrets
must be read back, so they are encrypted with AES-GCM under a key derived from SECRET_KEY.
Changing SECRET_KEY therefore ends every session and every reset token, and turns off
the TOTP secrets sealed with the old key (their owners enrol again).

Every function takes the secret (the service's SECRET_KEY) as ``secret_key``.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12


def new_token() -> str:
    """A random token with 256 bits of entropy, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(value: str, secret_key: str, *, purpose: str) -> str:
    """The keyed digest stored instead of ``value`` (64 hex characters).

    ``purpose`` separates the uses, so a digest of one kind never matches another.
    """
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def _sealing_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"totp-secret-seal")
    return hkdf.derive(secret_key.encode())


def seal(plaintext: str, secret_key: str) -> str:
    """Encrypt ``plaintext`` (AES-256-GCM with a fresh nonce); the result is ASCII."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(_sealing_key(secret_key)).encrypt(nonce, plaintext.encode(), None)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(token: str, secret_key: str) -> str | None:
    """Decrypt what ``seal`` made, or return None if it was sealed with another key."""
    try:
        raw = base64.urlsafe_b64decode(token.encode())
        opened = AESGCM(_sealing_key(secret_key)).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None
        )
    except (InvalidTag, ValueError):  # binascii.Error (bad base64) is a ValueError
        return None
    return opened.decode()
