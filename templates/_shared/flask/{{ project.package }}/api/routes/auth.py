"""Registration, login and token refresh."""

from flask import Blueprint

from ...models.users import User
from ...schemas.auth import Credentials, LoginIn, RefreshIn, TokenPair
from ...schemas.users import UserPublic
from ...services import auth, users
from ..deps import app_settings, db_session
from ..endpoint import endpoint

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.post("/register")
@endpoint(
    summary="Create an account",
    body=Credentials,
    response=UserPublic,
    status=201,
    errors={409: "Email already registered"},
)
def register(data: Credentials) -> User:
    """Create an account with an email and a password of at least 8 characters."""
    return users.register(db_session(), data, app_settings())


@bp.post("/login")
@endpoint(
    summary="Exchange credentials for tokens",
    body=LoginIn,
    response=TokenPair,
    errors={401: "Incorrect email or password", 403: "Account disabled"},
)
def login(data: LoginIn) -> TokenPair:
    """Return an access token and a refresh token."""
    return auth.login(db_session(), data.email, data.password, app_settings())


@bp.post("/refresh")
@endpoint(
    summary="Exchange a refresh token for new tokens",
    body=RefreshIn,
    response=TokenPair,
    errors={401: "Invalid or expired token"},
)
def refresh(data: RefreshIn) -> TokenPair:
    """Return a new token pair for a valid refresh token."""
    return auth.refresh(db_session(), data.refresh_token, app_settings())
