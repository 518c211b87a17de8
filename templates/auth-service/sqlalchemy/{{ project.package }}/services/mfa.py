"""TOTP multi-factor authentication (RFC 6238, pyotp) with single-use recovery codes."""

import hmac
import secrets
import time
from typing import Any, cast

import pyotp
from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.crypto import digest, seal, unseal
from ..core.errors import Conflict, ValidationFailed
from ..core.security import verify_password
from ..db import utcnow
from ..models.mfa import RecoveryCode, TotpCredential
from ..models.users import User
from ..schemas.mfa import MfaDisable, MfaEnrollment, RecoveryCodes
from . import login_attempts

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
# Codes of the previous and the next time step are accepted too (clock drift).
VALID_WINDOW = 1


def _credential(session: Session, user: User) -> TotpCredential | None:
    return session.scalar(select(TotpCredential).where(TotpCredential.user_id == user.id))


def is_enabled(session: Session, user: User) -> bool:
    """Whether ``user`` confirmed a TOTP authenticator (login then needs a code)."""
    credential = _credential(session, user)
    return credential is not None and credential.confirmed_at is not None


def enroll(session: Session, user: User, settings: Settings) -> MfaEnrollment:
    """Start (or restart) enrolment with a new secret; MFA is on only once confirmed."""
    credential = _credential(session, user)
    if credential is not None and credential.confirmed_at is not None:
        raise Conflict("MFA is already on; turn it off first")
    secret = pyotp.random_base32()
    if credential is None:
        credential = TotpCredential(user_id=user.id)
        session.add(credential)
    credential.secret = seal(secret, settings)
    credential.last_used_step = None
    credential.created_at = utcnow()
    try:
        session.commit()
    except IntegrityError:
        # Two enrolments of one user raced; the other one won.
        session.rollback()
        raise Conflict("An enrolment is already in progress; try again") from None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=settings.mfa_issuer)
    return MfaEnrollment(secret=secret, otpauth_uri=uri)


def confirm(session: Session, user: User, code: str, settings: Settings) -> RecoveryCodes:
    """Turn MFA on with a current code; return the recovery codes (shown only now)."""
    credential = _credential(session, user)
    if credential is None:
        raise Conflict("No MFA enrolment to confirm: start with POST /auth/mfa/enroll")
    if credential.confirmed_at is not None:
        raise Conflict("MFA is already on")
    if not _accept_totp(session, credential, code, settings):
        raise ValidationFailed([{"field": "code", "message": "Invalid or expired code"}])
    credential.confirmed_at = utcnow()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_digest(user, recovery, settings))
        for recovery in codes
    )
    session.commit()
    return RecoveryCodes(recovery_codes=codes)


def accept_code(session: Session, user: User, code: str, settings: Settings) -> bool:
    """Check a TOTP code or a recovery code of a user with MFA on; either works once."""
    credential = _credential(session, user)
    if credential is None or credential.confirmed_at is None:
        return False
    compact = "".join(code.split())
    if len(compact) == TOTP_DIGITS and compact.isascii() and compact.isdigit():
        return _accept_totp(session, credential, compact, settings)
    return _use_recovery_code(session, user, code, settings)


def disable(session: Session, user: User, data: MfaDisable, settings: Settings) -> None:
    """Turn MFA off with the password and a code; failures count as failed logins."""
    if not is_enabled(session, user):
        raise Conflict("MFA is not on")
    attempt = login_attempts.begin(session, user.email, settings)
    if not verify_password(data.password, user.password_hash, settings):
        raise ValidationFailed([{"field": "password", "message": "Incorrect password"}])
    if not accept_code(session, user, data.otp_code, settings):
        raise ValidationFailed([{"field": "otp_code", "message": "Invalid or expired code"}])
    login_attempts.discard(session, attempt)
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(TotpCredential).where(TotpCredential.user_id == user.id))
    session.commit()


def _accept_totp(
    session: Session, credential: TotpCredential, code: str, settings: Settings
) -> bool:
    secret = unseal(credential.secret, settings)
    if secret is None:  # sealed under another SECRET_KEY
        return False
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    step = next(
        (
            candidate
            for candidate in range(now - VALID_WINDOW, now + VALID_WINDOW + 1)
            if hmac.compare_digest(totp.generate_otp(candidate), code)
        ),
        None,
    )
    if step is None:
        return False
    # A code works once: only a later time step than the last accepted one may pass,
    # and of two concurrent uses of one code only one can move the step forward.
    moved = cast(
        CursorResult[Any],
        session.execute(
            update(TotpCredential)
            .where(
                TotpCredential.id == credential.id,
                or_(
                    TotpCredential.last_used_step.is_(None),
                    TotpCredential.last_used_step < step,
                ),
            )
            .values(last_used_step=step)
        ),
    )
    session.commit()
    return moved.rowcount == 1


def _new_recovery_code() -> str:
    raw = secrets.token_hex(5)
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_digest(user: User, code: str, settings: Settings) -> str:
    normalized = "".join(code.lower().replace("-", "").split())
    return digest(f"{user.id}:{normalized}", settings, purpose="recovery-code")


def _use_recovery_code(session: Session, user: User, code: str, settings: Settings) -> bool:
    used = cast(
        CursorResult[Any],
        session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _recovery_digest(user, code, settings),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        ),
    )
    session.commit()
    return used.rowcount == 1
