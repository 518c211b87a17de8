"""Login (throttled, with MFA), logout and password changes of the auth service.

Registration, refresh and user management stay in accounts/services.py; token pairs
come from accounts/tokens.py (stored, rotated refresh tokens).
"""

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from ..core.errors import Forbidden, Unauthorized, ValidationFailed
from ..login_attempts import services as login_attempts
from ..mfa import services as mfa
from ..refresh_tokens import services as sessions
from . import tokens
from .models import User
from .services import BAD_CREDENTIALS, dummy_hash, get_by_email

MFA_REQUIRED = "MFA code required: send otp_code with the email and password"
BAD_MFA_CODE = "Invalid or expired MFA code"


def authenticate(email: str, password: str, otp_code: str | None = None) -> User:
    """Return the user with these credentials, or raise.

    Raises ``TooManyAttempts`` (429) after too many failures for the email, before
    any check; ``Unauthorized`` for wrong credentials or a missing or wrong MFA code;
    ``Forbidden`` for a disabled account.
    """
    attempt = login_attempts.begin(email)
    user = get_by_email(email)
    if user is None:
        # Verify against a dummy hash anyway, so response time does not reveal
        # whether the email has an account.
        check_password(password, dummy_hash())
        raise Unauthorized(BAD_CREDENTIALS)
    if not user.check_password(password):
        raise Unauthorized(BAD_CREDENTIALS)
    if not user.is_active:
        login_attempts.discard(attempt)
        raise Forbidden("Account disabled")
    if mfa.is_enabled(user):
        if otp_code is None:
            # The client asked without a code: no guess, so no failure.
            login_attempts.discard(attempt)
            raise Unauthorized(MFA_REQUIRED)
        if not mfa.accept_code(user, otp_code):
            raise Unauthorized(BAD_MFA_CODE)
    login_attempts.discard(attempt)
    return user


def login(email: str, password: str, otp_code: str | None = None) -> dict[str, str]:
    """Check the credentials (and the MFA code) and return a token pair of a new session."""
    return tokens.issue_pair(authenticate(email, password, otp_code))


def logout(user: User, refresh_token: str | None) -> None:
    """End the session of ``refresh_token``, or every session of ``user`` without one."""
    if refresh_token is None:
        sessions.end_sessions(user)
    else:
        sessions.revoke_session(user, refresh_token)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password; a wrong current one is a failed login.

    Every session ends, the caller's own included (the client signs in again with the
    new password), and reset tokens already mailed stop working.
    """
    attempt = login_attempts.begin(user.email)
    if not user.check_password(current_password):
        raise ValidationFailed([{"field": "current_password", "message": "Incorrect password"}])
    login_attempts.discard(attempt)
    password_hash = make_password(new_password)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(password=password_hash, updated_at=timezone.now())
        sessions.end_sessions(user)
