"""The RSA keys that sign and verify tokens (RS256), and the JWKS that publishes them.

The signing key is the PEM in JWT_PRIVATE_KEY, else the file JWT_PRIVATE_KEY_FILE
(made with the project, git-ignored). Every token names its key in the ``kid`` header:
the key's RFC 7638 thumbprint. ``python -m <package>.keys rotate`` writes a new key file
and moves the old public key to JWT_PREVIOUS_KEYS_FILE with the time its last token
expires; until then it stays in the JWKS and its tokens keep verifying. Workers reread
a file when it changes, so a rotation needs no restart.

Nothing here reads the framework's settings: every function takes a ``KeySettings``,
which core/keys.py (the framework's side) builds from them.
"""

import base64
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .errors import AppError

KEY_SIZE = 2048
# Tokens signed just before a rotation, by a worker that had not seen it yet.
RETIREMENT_LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class KeySettings:
    """Where the keys are, and how long the tokens they sign stay valid."""

    #: JWT_PRIVATE_KEY_FILE: the PEM private key that signs tokens.
    private_key_file: str
    #: JWT_PREVIOUS_KEYS_FILE: public keys retired by a rotation.
    previous_keys_file: str
    #: JWT_PRIVATE_KEY: the PEM itself ("\n" may stand for its newlines); wins when set.
    private_key: str | None
    #: The "alg" the JWKS names (RS256).
    algorithm: str
    #: The lifetime of the longest-lived token: how long a retired key stays published.
    token_lifetime: timedelta


class SigningKeyError(AppError):
    """The signing key is missing or unusable: a deployment error, not the client's.

    A request that needs the key answers 503 with the generic ``detail``; ``str()`` of
    the error says what is wrong (which file, what to run), for the logs and the
    command line, not for clients.
    """

    status_code = 503
    detail = "Tokens cannot be issued or verified right now; try again later"

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class PublicKey:
    """A public key and its key id."""

    kid: str
    key: rsa.RSAPublicKey

    def jwk(self, algorithm: str) -> dict[str, str]:
        """The key as a JSON Web Key (RFC 7517), for signature checks only."""
        numbers = self.key.public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": algorithm,
            "kid": self.kid,
            "n": _b64_int(numbers.n),
            "e": _b64_int(numbers.e),
        }


def _b64_int(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _int_b64(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def thumbprint(key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 thumbprint of a key: a stable id derived from the key itself."""
    numbers = key.public_numbers()
    members = {"e": _b64_int(numbers.e), "kty": "RSA", "n": _b64_int(numbers.n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


# -- reading keys -----------------------------------------------------------------------


def _file_bytes(path: Path) -> bytes | None:
    """The content of a file (None if there is none), read again only when it changed.

    A file that is there but cannot be read (permissions, a folder in its place) is a
    ``SigningKeyError``, like a missing signing key.
    """
    try:
        info = path.stat()
        return _read(str(path), info.st_ino, info.st_mtime_ns, info.st_size)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SigningKeyError(f"cannot read {path}: {exc.strerror or exc}") from None


@lru_cache(maxsize=16)
def _read(path: str, _inode: int, _mtime_ns: int, _size: int) -> bytes:
    return Path(path).read_bytes()


@lru_cache(maxsize=8)
def _parse_private(pem: bytes) -> tuple[rsa.RSAPrivateKey, PublicKey]:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"the signing key is not an unencrypted PEM key: {exc}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningKeyError("the signing key is not an RSA key")
    public = key.public_key()
    return key, PublicKey(thumbprint(public), public)


def private_key(config: KeySettings) -> tuple[rsa.RSAPrivateKey, PublicKey]:
    """The current signing key and its public half, or raise ``SigningKeyError``."""
    if config.private_key:
        # An environment variable holds one line: accept "\n" for the PEM's newlines.
        return _parse_private(config.private_key.replace("\\n", "\n").encode())
    pem = _file_bytes(Path(config.private_key_file))
    if pem is None:
        package = __name__.split(".")[0]
        raise SigningKeyError(
            f"no signing key at {config.private_key_file}: run "
            f"`python -m {package}.keys generate` or set JWT_PRIVATE_KEY"
        )
    return _parse_private(pem)


@lru_cache(maxsize=8)
def _parse_previous(data: bytes) -> tuple[tuple[PublicKey, float], ...]:
    try:
        entries = json.loads(data)["keys"]
        keys = []
        for entry in entries:
            numbers = rsa.RSAPublicNumbers(_int_b64(entry["e"]), _int_b64(entry["n"]))
            public = numbers.public_key()
            keys.append((PublicKey(thumbprint(public), public), float(entry["expires_at"])))
    except (ValueError, KeyError, TypeError) as exc:
        raise SigningKeyError(f"the previous keys file is not valid: {exc!r}") from None
    return tuple(keys)


def previous_keys(config: KeySettings, *, now: float | None = None) -> list[PublicKey]:
    """Public keys retired by a rotation whose tokens may still be valid."""
    data = _file_bytes(Path(config.previous_keys_file))
    if data is None:
        return []
    now = time.time() if now is None else now
    return [key for key, expires_at in _parse_previous(data) if expires_at > now]


def check(config: KeySettings) -> None:
    """Read the signing key and the retired keys; raise ``SigningKeyError`` if one fails."""
    private_key(config)
    previous_keys(config)


# -- what core/keys.py passes on to core/security.py -----------------------------------------


def signing_key(config: KeySettings) -> tuple[Any, dict[str, str]]:
    """The private key to sign with, and the ``kid`` header naming its public key."""
    key, public = private_key(config)
    return key, {"kid": public.kid}


def verification_key(config: KeySettings, header: dict[str, Any]) -> Any:
    """The public key named by the token's ``kid`` (raise KeyError if none is valid)."""
    kid = header.get("kid")
    _, current = private_key(config)
    for candidate in [current, *previous_keys(config)]:
        if candidate.kid == kid:
            return candidate.key
    raise KeyError("unknown key id")


def access_claims(issuer: str, audiences: Sequence[str]) -> dict[str, Any]:
    """The ``iss`` and ``aud`` of every access token: one audience a string, more a list."""
    return {"iss": issuer, "aud": audiences[0] if len(audiences) == 1 else list(audiences)}


def jwks(config: KeySettings) -> dict[str, list[dict[str, str]]]:
    """The JSON Web Key Set: the current public key, then retired ones still in use."""
    _, current = private_key(config)
    keys = [current] + [key for key in previous_keys(config) if key.kid != current.kid]
    return {"keys": [key.jwk(config.algorithm) for key in keys]}


# -- making keys (python -m <package>.keys) --------------------------------------------------


def new_private_key() -> bytes:
    """A fresh 2048-bit RSA key as an unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_atomically(path: Path, content: bytes, mode: int) -> None:
    """Replace ``path`` in one step, so a worker never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def generate(config: KeySettings) -> str | None:
    """Write a key to JWT_PRIVATE_KEY_FILE if there is none; return its kid if made."""
    path = Path(config.private_key_file)
    if path.exists():
        return None
    _write_atomically(path, new_private_key(), 0o600)
    return private_key(config)[1].kid


def rotate(config: KeySettings, *, now: float | None = None) -> tuple[str, str]:
    """Replace the signing key; keep the old public key until its last token expires.

    Returns the old and the new key id.
    """
    if config.private_key:
        raise SigningKeyError(
            "JWT_PRIVATE_KEY is set: rotate by unsetting it, or by replacing it where it is set"
        )
    now = time.time() if now is None else now
    _, old = private_key(config)
    retired = {
        **old.jwk(config.algorithm),
        "retired_at": datetime.fromtimestamp(now, UTC).isoformat(),
        "expires_at": int(now + config.token_lifetime.total_seconds() + RETIREMENT_LEEWAY_SECONDS),
    }
    kept = []
    path = Path(config.previous_keys_file)
    existing = _file_bytes(path)
    if existing is not None:
        _parse_previous(existing)  # refuse to build on a broken file
        kept = [
            entry
            for entry in json.loads(existing)["keys"]
            if float(entry["expires_at"]) > now and entry.get("kid") != old.kid
        ]
    document = {"keys": [retired, *kept]}
    # The old key is published as a previous key before the new one signs anything.
    _write_atomically(path, (json.dumps(document, indent=2) + "\n").encode(), 0o644)
    # The new key file keeps the old one's permissions (a container may read it as
    # another user than the one rotating it).
    key_file = Path(config.private_key_file)
    _write_atomically(key_file, new_private_key(), stat.S_IMODE(key_file.stat().st_mode))
    return old.kid, private_key(config)[1].kid
