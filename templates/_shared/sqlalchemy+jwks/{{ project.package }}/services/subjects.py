"""The local user of a token's subject: made on first sight, its email kept up to date.

The auth-service owns the accounts; this service keeps a row per subject (``sub``) for
what it stores about them (ownership, its own role, whether an admin disabled them).
"""

from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..core.errors import Conflict, Unauthorized
from ..core.jwks import INVALID
from ..models.users import Role, User
from .users import get_by_email, normalize_email

#: The password hash of these users: no password verifies against it (it is no argon2
#: hash), they sign in at the auth-service only.
UNUSABLE_PASSWORD = "!jwks"  # noqa: S105
EMAIL_TAKEN = "The token's email belongs to another account here"


def token_email(claims: dict[str, Any]) -> str | None:
    """The normalized ``email`` claim, or None if it is missing or no email."""
    email = claims.get("email")
    if not isinstance(email, str):
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return None
    return normalize_email(email)


def user_for_claims(session: Session, claims: dict[str, Any]) -> User:
    """Return the active local user of verified access-token claims.

    A new subject gets a user (the kind's default role); a changed email is taken
    over. An email of another local account is a ``Conflict``; a disabled account,
    like a token without a usable email for a new subject, is ``Unauthorized``.
    """
    subject: str = claims["sub"]
    email = token_email(claims)
    user = session.scalar(select(User).where(User.subject == subject))
    if user is None:
        if email is None:
            raise Unauthorized(INVALID)
        user = _provision(session, subject, email)
    elif email is not None and user.email != email:
        _change_email(session, user, email)
    if not user.is_active:
        raise Unauthorized(INVALID)
    roles = claims.get("roles")
    if isinstance(roles, list) and Role.ADMIN.value in roles:
        # The issuer's admins are admins here, for this request: the role is loaded as
        # if stored, so every check of the kind sees it, and never written back.
        set_committed_value(user, "role", Role.ADMIN)
    return user


def _provision(session: Session, subject: str, email: str) -> User:
    owner = get_by_email(session, email)
    if owner is not None:
        if owner.subject == subject:
            return owner  # made by a request of the same subject racing this one
        raise Conflict(EMAIL_TAKEN)
    user = User(subject=subject, email=email, password_hash=UNUSABLE_PASSWORD)
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        # Another request made this subject (or took the email) meanwhile.
        session.rollback()
        raced = session.scalar(select(User).where(User.subject == subject))
        if raced is None:
            raise Conflict(EMAIL_TAKEN) from None
        return raced
    return user


def _change_email(session: Session, user: User, email: str) -> None:
    owner = get_by_email(session, email)
    if owner is not None and owner.id != user.id:
        raise Conflict(EMAIL_TAKEN)
    user.email = email
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(EMAIL_TAKEN) from None
