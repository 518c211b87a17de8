"""What views need: settings, a database session per request, the current user."""

from flask import current_app, g, request
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import Forbidden, Unauthorized
from ..models.users import User
from ..services import auth


def app_settings() -> Settings:
    """The settings the app was built with."""
    settings: Settings = current_app.extensions["settings"]
    return settings


def db_session() -> Session:
    """The session of this request, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db"].session()
    session: Session = g.db_session
    return session


def close_session() -> None:
    """Close the request's session, if one was opened."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def bearer_token() -> str:
    """The token of an ``Authorization: Bearer`` header, or 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def current_user() -> User:
    """The user whose access token came with the request, or 401."""
    if "current_user" not in g:
        g.current_user = auth.user_from_access_token(db_session(), bearer_token(), app_settings())
    user: User = g.current_user
    return user


def current_admin() -> User:
    """The current user if they are an admin, or 403."""
    user = current_user()
    if not user.is_admin:
        raise Forbidden("Admin role required")
    return user
