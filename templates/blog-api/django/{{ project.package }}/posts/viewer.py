"""The optional signed-in user of public routes: anonymous, or a valid bearer token.

A request without an Authorization header is anonymous; one with a header must carry
a valid access token (401 otherwise), as on the routes that need a user.
"""

from rest_framework.authentication import get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class AnonymousOrSignedIn(BasePermission):
    """Anyone, unless an Authorization header came that is not a valid bearer token.

    An invalid bearer token fails already in authentication; another scheme (Basic,
    say) is ignored there, and refused here with a 401.
    """

    #: core.openapi documents the token of these views as optional.
    allows_anonymous = True

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Pass without a header, or with one that signed a user in."""
        return not get_authorization_header(request) or request.user is not None
