"""TOTP codes (RFC 6238, pyotp) and recovery codes: the rules, without the storage.

A TOTP secret is stored sealed (core/crypto.py) and a recovery code as a keyed digest;
the services keep them and make each code work once (a TOTP code by its time step,
which only moves forward; a recovery code by being marked used).
"""

import hmac
import secrets
import time

import pyotp

from .crypto import digest, unseal

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
# Codes of the previous and the next time step are accepted too (clock drift).
VALID_WINDOW = 1


def new_secret() -> str:
    """A new random TOTP secret (base32), for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (shown as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def as_totp_code(code: str) -> str | None:
    """``code`` without white space if it has the shape of a TOTP code, else None."""
    compact = "".join(code.split())
    if len(compact) == TOTP_DIGITS and compact.isascii() and compact.isdigit():
        return compact
    return None


def matching_step(
    sealed_secret: str, code: str, secret_key: str, *, now: float | None = None
) -> int | None:
    """The time step whose code ``code`` is, within the window around ``now``.

    None when no step of the window matches, or when the secret was sealed under
    another SECRET_KEY. The caller accepts the code only if the step is later than the
    last one accepted, so that a code works once.
    """
    secret = unseal(sealed_secret, secret_key)
    if secret is None:
        return None
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS)
    current = int(time.time() if now is None else now) // totp.interval
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Single-use codes that stand in for a TOTP code, like ``3f9a1-c04be``."""
    codes = []
    for _ in range(count):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_digest(user_id: int, code: str, secret_key: str) -> str:
    """The stored digest of a user's recovery code (case, dashes and spaces ignored)."""
    normalized = "".join(code.lower().replace("-", "").split())
    return digest(f"{user_id}:{normalized}", secret_key, purpose="recovery-code")
