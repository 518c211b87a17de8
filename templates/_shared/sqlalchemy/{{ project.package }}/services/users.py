"""Accounts: registration, lookup, admins."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import Conflict, NotFound
from ..core.security import hash_password
from ..models.users import Role, User
from ..schemas.auth import Credentials
from ..schemas.common import MAX_ID, Page
from ..schemas.users import UserAdminUpdate, UserPublic, UserQuery
from . import tokens
from .pagination import paginate


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively."""
    return email.strip().lower()


def get_by_email(session: Session, email: str) -> User | None:
    """Return the user with this email, if any."""
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def get(session: Session, user_id: int) -> User:
    """Return a user by id, or raise ``NotFound``."""
    user = session.get(User, user_id) if 1 <= user_id <= MAX_ID else None
    if user is None:
        raise NotFound("User not found")
    return user


def register(session: Session, data: Credentials, settings: Settings) -> User:
    """Create an account; a taken email is a ``Conflict``, also when two requests race."""
    email = normalize_email(data.email)
    if get_by_email(session, email) is not None:
        raise Conflict("Email already registered")
    user = User(email=email, password_hash=hash_password(data.password, settings))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        # Another request registered the same email between the check and the insert.
        session.rollback()
        raise Conflict("Email already registered") from None
    return user


def create_admin(session: Session, email: str, password: str, settings: Settings) -> User:
    """Create an admin, or make an existing user admin with this password."""
    user = get_by_email(session, email)
    if user is None:
        user = User(email=normalize_email(email))
        session.add(user)
    user.password_hash = hash_password(password, settings)
    user.role = Role.ADMIN
    user.is_active = True
    session.commit()
    return user


def list_users(session: Session, query: UserQuery) -> Page[UserPublic]:
    """One page of users, oldest first, filtered by role and status."""
    statement = select(User)
    if query.role is not None:
        statement = statement.where(User.role == query.role)
    if query.is_active is not None:
        statement = statement.where(User.is_active == query.is_active)
    return paginate(session, statement, query, UserPublic, [User.id])


def update_user(session: Session, admin: User, user_id: int, data: UserAdminUpdate) -> User:
    """Change a user's role or status; an admin cannot demote or disable themselves."""
    user = get(session, user_id)
    changes = data.model_dump(exclude_unset=True)
    if user.id == admin.id and (
        changes.get("role", Role.ADMIN) != Role.ADMIN or changes.get("is_active") is False
    ):
        raise Conflict("Admins cannot remove their own admin role or disable themselves")
    for field, value in changes.items():
        setattr(user, field, value)
    if changes.get("is_active") is False:
        # Disabling ends every session for good: enabling the account again later
        # brings none of its tokens back.
        tokens.end_sessions(session, user)
    session.commit()
    return user
