"""Password reset tokens: single use, valid for a short time, sent through the outbox.

Asking always answers the same, so it tells nobody whether an email has an account.
Only the newest token of a user works; setting the password ends every session. The
password_resets service stores a token only as its digest (``token_digest``).
"""

from .crypto import digest
from .errors import ValidationFailed

ACCEPTED = "If the email has an account, a reset token is on its way"
SUBJECT = "Reset your password"
BODY = """Someone asked to reset the password of your account.

Reset token: {token}

It works once, within {minutes} minutes: POST /auth/password-reset/confirm with
{{"token": "<the token>", "new_password": "<your new password>"}}.
If you did not ask for it, ignore this message; your password stays as it is.
"""


def token_digest(token: str, secret_key: str) -> str:
    """What is stored of a reset token."""
    return digest(token, secret_key, purpose="password-reset")


def message(token: str, minutes: int) -> dict[str, str]:
    """The outbox message (``subject`` and ``body``) that carries a token."""
    return {"subject": SUBJECT, "body": BODY.format(token=token, minutes=minutes)}


def invalid_token() -> ValidationFailed:
    """The one answer to a used, expired or unknown token."""
    return ValidationFailed([{"field": "token", "message": "Invalid or expired reset token"}])
