"""The local user of an issuer's token: made on the subject's first request, kept in step.

The issuer (auth-service) signs users in and issues their tokens; here each subject
(``sub``) of its tokens maps onto one local user (``User.subject``). Its first request
makes that user, with the token's email, the kind's default role and no usable
password; later requests take a changed email over. The local role is the service's
own (the admin API changes it), and a token whose ``roles`` name "admin" makes its
request an admin's whatever the local role. A disabled local user is refused, as any
disabled account.

Same four functions as the module it replaces: pairs are not issued and not rotated
here, and the sessions of a disabled user end with its being disabled.
"""

from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from ..core.errors import Conflict, NotFound, Unauthorized
from ..core.security import REJECTED
from .models import Role, User, normalize_email
from .serializers import MAX_EMAIL_LENGTH

#: The role of the issuer's tokens that makes a request an admin's.
ADMIN_ROLE = "admin"
EMAIL_OWNED = "The token's email belongs to another user"
ISSUED_ELSEWHERE = "Tokens are issued by the issuer (AUTH_ISSUER), not by this service"
#: The longest subject kept (the length of the column User.subject).
MAX_SUBJECT_LENGTH = 255


def issue_pair(user: User) -> dict[str, str]:
    """Tokens are the issuer's: the service has none to give."""
    raise NotFound(ISSUED_ELSEWHERE)


def rotate(refresh_token: str) -> dict[str, str]:
    """Refresh tokens never leave the issuer: none is exchanged here."""
    raise NotFound(ISSUED_ELSEWHERE)


def end_sessions(user: User) -> None:
    """Nothing to end here: a disabled user's tokens are refused while it is disabled
    (``user_for_claims``), and the sessions themselves are the issuer's."""


def user_for_claims(claims: dict[str, Any]) -> User:
    """Return the active local user of a verified token, made on its first request.

    ``Unauthorized`` for a disabled user or a token without a usable subject or email,
    ``Conflict`` when its email belongs to another user.
    """
    subject, email = claims.get("sub"), claims.get("email")
    if not (isinstance(subject, str) and 0 < len(subject) <= MAX_SUBJECT_LENGTH):
        raise Unauthorized(REJECTED)
    if "\x00" in subject or not (isinstance(email, str) and len(email) <= MAX_EMAIL_LENGTH):
        raise Unauthorized(REJECTED)
    try:
        validate_email(email)
    except ValidationError:
        raise Unauthorized(REJECTED) from None
    user = _user_of(subject, normalize_email(email))
    if not user.is_active:
        raise Unauthorized(REJECTED)
    roles = claims.get("roles")
    if isinstance(roles, list) and ADMIN_ROLE in roles:
        # For this request only: the stored role stays the service's own.
        user.role = Role.ADMIN
    return user


def _user_of(subject: str, email: str) -> User:
    """The user of ``subject``, made if new, with ``email`` as its email."""
    user = User.objects.filter(subject=subject).first()
    if user is None:
        user = _made(subject, email)
    if user.email != email:
        user.email = email
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "updated_at"])
        except IntegrityError:
            raise Conflict(EMAIL_OWNED) from None
    return user


def _made(subject: str, email: str) -> User:
    """Make the user of a new subject; requests racing for it all get the one made.

    ``get_or_create`` inserts in a savepoint and reads again when the insert fails;
    read once more outside it, since a transaction of its own (MySQL's repeatable
    read) may not see the row that the winning request committed.
    """
    if User.objects.filter(email=email).exclude(subject=subject).exists():
        raise Conflict(EMAIL_OWNED)
    try:
        user, _ = User.objects.get_or_create(
            subject=subject, defaults={"email": email, "password": make_password(None)}
        )
        return user
    except IntegrityError:
        pass
    winner = User.objects.filter(subject=subject).first()
    if winner is None:
        # The insert failed on the email: another user took it meanwhile.
        raise Conflict(EMAIL_OWNED)
    return winner
