"""Dependencies shared by the routes: settings, a database session, the current user."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ..core.config import Settings
from ..core.errors import Forbidden, NotFound, Unauthorized
from ..models.users import User
from ..schemas.common import parse_id
from ..services import auth
from .admission import admitted


async def plain_path_ids(request: Request) -> None:
    """Every route's first dependency: an id in the path is ASCII digits naming a row.

    FastAPI would read ``7.0``, ``+7`` or `` 7`` as the id 7; in every framework they
    name nothing, so they are a 404 before anything else runs.
    """
    for name, value in request.path_params.items():
        if name.endswith("_id") and parse_id(str(value)) is None:
            raise NotFound()


async def app_settings(request: Request) -> Settings:
    """The settings the app was built with (async: no thread for reading an attribute)."""
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request, closed afterwards.

    The request waits its turn first (api/admission.py): no more requests hold a
    session than the pool has connections, so none ever waits for a connection while
    holding a thread that the others need.
    """
    async with admitted(request.app.state.db) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(app_settings)]
SessionDep = Annotated[Session, Depends(get_session)]

# auto_error=False: a missing token must be our 401 with the common error body.
bearer = HTTPBearer(auto_error=False)


def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user whose access token came with the request, or 401."""
    if credentials is None:
        raise Unauthorized()
    return auth.user_from_access_token(session, credentials.credentials, settings)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_current_admin(user: CurrentUser) -> User:
    """The current user if they are an admin, or 403 (async: it reads no database)."""
    if not user.is_admin:
        raise Forbidden("Admin role required")
    return user


CurrentAdmin = Annotated[User, Depends(get_current_admin)]
