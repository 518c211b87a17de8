"""The optional signed-in user of public routes: anonymous, or a valid bearer token.

A request without an Authorization header is anonymous; one with a header must
carry a valid access token (401 otherwise), as on the routes that need a user.
"""

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from ..core.errors import Unauthorized
from ..models.users import User
from ..services import auth
from .deps import SessionDep, SettingsDep, bearer


def get_viewer(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User | None:
    """The user whose token came with the request, or None without an Authorization header."""
    if "authorization" not in request.headers:
        return None
    if credentials is None:
        raise Unauthorized()
    return auth.user_from_access_token(session, credentials.credentials, settings)


Viewer = Annotated[User | None, Depends(get_viewer)]

#: ``openapi_extra`` of the routes that take a Viewer: a token is optional there, which
#: FastAPI cannot tell from the dependency (it would document it as required).
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{"HTTPBearer": []}, {}]}
