"""TOTP multi-factor authentication (RFC 6238, pyotp) with single-use recovery codes."""

from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core import totp
from ..core.config import Settings
from ..core.crypto import seal
from ..core.errors import Conflict, ValidationFailed
from ..core.security import verify_password
from ..db import utcnow
from ..models.mfa import RecoveryCode, TotpCredential
from ..models.users import User
from ..schemas.mfa import MfaDisable, MfaEnrollment, RecoveryCodes
from . import login_attempts


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
    secret = totp.new_secret()
    if credential is None:
        credential = TotpCredential(user_id=user.id)
        session.add(credential)
    credential.secret = seal(secret, settings.secret_key)
    credential.last_used_step = None
    credential.created_at = utcnow()
    try:
        session.commit()
    except IntegrityError:
        # Two enrolments of one user raced; the other one won.
        session.rollback()
        raise Conflict("An enrolment is already in progress; try again") from None
    uri = totp.provisioning_uri(secret, user.email, settings.mfa_issuer)
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
    codes = totp.new_recovery_codes()
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
    compact = totp.as_totp_code(code)
    if compact is not None:
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
    step = totp.matching_step(credential.secret, code, settings.secret_key)
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


def _recovery_digest(user: User, code: str, settings: Settings) -> str:
    return totp.recovery_digest(user.id, code, settings.secret_key)


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
