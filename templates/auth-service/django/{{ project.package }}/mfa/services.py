"""TOTP multi-factor authentication (RFC 6238, pyotp) with single-use recovery codes."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..accounts.models import User
from ..core import totp
from ..core.crypto import seal
from ..core.errors import Conflict, ValidationFailed
from ..login_attempts import services as login_attempts
from .models import RecoveryCode, TotpCredential

BAD_CODE = "Invalid or expired code"


def _credential(user: User) -> TotpCredential | None:
    return TotpCredential.objects.filter(user=user).first()


def is_enabled(user: User) -> bool:
    """Whether ``user`` confirmed a TOTP authenticator (login then needs a code)."""
    return TotpCredential.objects.filter(user=user, confirmed_at__isnull=False).exists()


def enroll(user: User) -> dict[str, str]:
    """Start (or restart) enrolment with a new secret; MFA is on only once confirmed."""
    credential = _credential(user)
    if credential is not None and credential.confirmed_at is not None:
        raise Conflict("MFA is already on; turn it off first")
    secret = totp.new_secret()
    if credential is None:
        credential = TotpCredential(user=user)
    credential.secret = seal(secret, settings.SECRET_KEY)
    credential.last_used_step = None
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError:
        # Two enrolments of one user raced; the other one won.
        raise Conflict("An enrolment is already in progress; try again") from None
    uri = totp.provisioning_uri(secret, user.email, settings.MFA_ISSUER)
    return {"secret": secret, "otpauth_uri": uri}


def confirm(user: User, code: str) -> dict[str, list[str]]:
    """Turn MFA on with a current code; return the recovery codes (shown only now)."""
    credential = _credential(user)
    if credential is None:
        raise Conflict("No MFA enrolment to confirm: start with POST /auth/mfa/enroll")
    if credential.confirmed_at is not None:
        raise Conflict("MFA is already on")
    if not _accept_totp(credential, code):
        raise ValidationFailed([{"field": "code", "message": BAD_CODE}])
    codes = totp.new_recovery_codes()
    with transaction.atomic():
        # Of two concurrent confirmations only one turns MFA on and gets the codes.
        confirmed = TotpCredential.objects.filter(
            pk=credential.pk, confirmed_at__isnull=True
        ).update(confirmed_at=timezone.now())
        if confirmed != 1:
            raise Conflict("MFA is already on")
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_recovery_digest(user, recovery))
            for recovery in codes
        )
    return {"recovery_codes": codes}


def accept_code(user: User, code: str) -> bool:
    """Check a TOTP code or a recovery code of a user with MFA on; either works once."""
    credential = _credential(user)
    if credential is None or credential.confirmed_at is None:
        return False
    compact = totp.as_totp_code(code)
    if compact is not None:
        return _accept_totp(credential, compact)
    return _use_recovery_code(user, code)


def disable(user: User, password: str, otp_code: str) -> None:
    """Turn MFA off with the password and a code; failures count as failed logins."""
    if not is_enabled(user):
        raise Conflict("MFA is not on")
    attempt = login_attempts.begin(user.email)
    if not user.check_password(password):
        raise ValidationFailed([{"field": "password", "message": "Incorrect password"}])
    if not accept_code(user, otp_code):
        raise ValidationFailed([{"field": "otp_code", "message": BAD_CODE}])
    login_attempts.discard(attempt)
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        TotpCredential.objects.filter(user=user).delete()


def _accept_totp(credential: TotpCredential, code: str) -> bool:
    step = totp.matching_step(credential.secret, code, settings.SECRET_KEY)
    if step is None:
        return False
    # A code works once: only a later time step than the last accepted one may pass,
    # and of two concurrent uses of one code only one can move the step forward.
    moved = TotpCredential.objects.filter(
        Q(last_used_step__isnull=True) | Q(last_used_step__lt=step), pk=credential.pk
    ).update(last_used_step=step)
    return moved == 1


def _recovery_digest(user: User, code: str) -> str:
    return totp.recovery_digest(user.pk, code, settings.SECRET_KEY)


def _use_recovery_code(user: User, code: str) -> bool:
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_digest(user, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used == 1
