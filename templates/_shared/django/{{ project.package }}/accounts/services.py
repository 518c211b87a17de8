"""Account rules: registration, login, token refresh, admins; independent of HTTP."""

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ..core.errors import Conflict, Forbidden, NotFound, Unauthorized
from ..core.serializers import is_valid_id
from . import tokens
from .models import Role, User, normalize_email

BAD_CREDENTIALS = "Incorrect email or password"
EMAIL_TAKEN = "Email already registered"


def get_by_email(email: str) -> User | None:
    """Return the user with this email, if any."""
    return User.objects.filter(email=normalize_email(email)).first()


def get_user(user_id: int | str) -> User:
    """Return a user by id, or raise ``NotFound``."""
    user = User.objects.filter(pk=int(user_id)).first() if is_valid_id(user_id) else None
    if user is None:
        raise NotFound("User not found")
    return user


def register(email: str, password: str) -> User:
    """Create an account; a taken email is a ``Conflict``, also when two requests race."""
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise Conflict(EMAIL_TAKEN)
    try:
        with transaction.atomic():
            return User.objects.create_user(email, password)
    except IntegrityError:
        # Another request registered the same email between the check and the insert.
        raise Conflict(EMAIL_TAKEN) from None


def dummy_hash() -> str:
    """The hash of no one's password at the configured cost, to verify against in vain."""
    return _dummy_hash(
        settings.PASSWORD_HASH_TIME_COST,
        settings.PASSWORD_HASH_MEMORY_KIB,
        settings.PASSWORD_HASH_PARALLELISM,
    )


@cache
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return make_password("not-a-real-password")


def authenticate(email: str, password: str) -> User:
    """Return the active user with these credentials, or raise ``Unauthorized``."""
    user = get_by_email(email)
    if user is None:
        # Verify against a dummy hash anyway, so that the response time does not
        # reveal whether the email has an account.
        check_password(password, dummy_hash())
        raise Unauthorized(BAD_CREDENTIALS)
    if not user.check_password(password):
        raise Unauthorized(BAD_CREDENTIALS)
    if not user.is_active:
        raise Forbidden("Account disabled")
    return user


def login(email: str, password: str) -> dict[str, str]:
    """Check the credentials and return a token pair."""
    return tokens.issue_pair(authenticate(email, password))


def refresh(refresh_token: str) -> dict[str, str]:
    """Exchange a refresh token for a new pair."""
    return tokens.rotate(refresh_token)


def create_admin(email: str, password: str) -> User:
    """Create an admin, or make an existing user admin with this password."""
    user = get_by_email(email) or User(email=normalize_email(email))
    user.set_password(password)
    user.role = Role.ADMIN
    user.is_active = True
    user.save()
    return user


def list_users(role: str | None = None, is_active: bool | None = None) -> QuerySet[User]:
    """Users, oldest first, filtered by role and status."""
    users = User.objects.order_by("pk")
    if role is not None:
        users = users.filter(role=role)
    if is_active is not None:
        users = users.filter(is_active=is_active)
    return users


def update_user(admin: User, user_id: int | str, changes: dict[str, Any]) -> User:
    """Change a user's role or status; an admin cannot demote or disable themselves."""
    user = get_user(user_id)
    if user.pk == admin.pk and (
        changes.get("role", Role.ADMIN) != Role.ADMIN or changes.get("is_active") is False
    ):
        raise Conflict("Admins cannot remove their own admin role or disable themselves")
    for field, value in changes.items():
        setattr(user, field, value)
    with transaction.atomic():
        # Only the changed fields: a full save would write back a stale token epoch.
        user.save(update_fields=[*changes, "updated_at"])
        if changes.get("is_active") is False:
            # Disabling ends every session for good: enabling the account again later
            # brings none of its tokens back.
            tokens.end_sessions(user)
    return user
