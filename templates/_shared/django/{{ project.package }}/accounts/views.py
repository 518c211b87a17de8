"""Registration, login, token refresh, the signed-in user, and user management."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.authentication import signed_in
from ..core.openapi import ADMIN_ONLY, error
from ..core.pagination import paginate
from ..core.permissions import IsAdmin
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .serializers import (
    CredentialsSerializer,
    LoginSerializer,
    RefreshSerializer,
    TokenPairSerializer,
    UserAdminUpdateSerializer,
    UserQuerySerializer,
    UserSerializer,
)


class PublicView(APIView):
    """A view anyone may call: a stray Authorization header is not even read."""

    authentication_classes = ()
    permission_classes = (AllowAny,)


class RegisterView(PublicView):
    """``POST /auth/register``."""

    @extend_schema(
        summary="Create an account",
        request=CredentialsSerializer,
        responses={201: UserSerializer, 409: error("Email already registered")},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """Create an account with an email and a password of at least 8 characters."""
        data = validated_body(request, CredentialsSerializer)
        user = services.register(data["email"], data["password"])
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(PublicView):
    """``POST /auth/login``."""

    @extend_schema(
        summary="Exchange credentials for tokens",
        request=LoginSerializer,
        responses={
            200: TokenPairSerializer,
            401: error("Incorrect email or password"),
            403: error("Account disabled"),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """Return an access token and a refresh token."""
        data = validated_body(request, LoginSerializer)
        return Response(services.login(data["email"], data["password"]))


class RefreshView(PublicView):
    """``POST /auth/refresh``."""

    @extend_schema(
        summary="Exchange a refresh token for new tokens",
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, 401: error("Invalid or expired token")},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        """Return a new token pair for a valid refresh token."""
        data = validated_body(request, RefreshSerializer)
        return Response(services.refresh(data["refresh_token"]))


class MeView(APIView):
    """``GET /users/me``."""

    @extend_schema(summary="The signed-in user", responses={200: UserSerializer}, tags=["users"])
    def get(self, request: Request) -> Response:
        """Return the user the access token belongs to."""
        return Response(UserSerializer(signed_in(request)).data)


class UserViewSet(viewsets.ViewSet):
    """User management for admins: list, read, change role or status."""

    permission_classes = (IsAuthenticated, IsAdmin)
    lookup_url_kwarg = "user_id"
    lookup_value_regex = "[0-9]+"

    @extend_schema(
        summary="List users (admin)",
        parameters=[UserQuerySerializer],
        responses={200: page_serializer(UserSerializer, "UserPage"), **ADMIN_ONLY},
        tags=["users"],
    )
    def list(self, request: Request) -> Response:
        """List users, oldest first, filtered by role and status."""
        query = validated_query(request, UserQuerySerializer)
        users = services.list_users(query.get("role"), query.get("is_active"))
        return Response(paginate(users, query, UserSerializer))

    @extend_schema(
        summary="Read a user (admin)", responses={200: UserSerializer, **ADMIN_ONLY}, tags=["users"]
    )
    def retrieve(self, request: Request, user_id: str) -> Response:
        """Return one user."""
        return Response(UserSerializer(services.get_user(user_id)).data)

    @extend_schema(
        summary="Change a user's role or status (admin)",
        request=UserAdminUpdateSerializer,
        responses={
            200: UserSerializer,
            **ADMIN_ONLY,
            409: error("Admins cannot demote or disable themselves"),
        },
        tags=["users"],
    )
    def partial_update(self, request: Request, user_id: str) -> Response:
        """Change a user's role, or disable them (their tokens stop working at once)."""
        changes = validated_body(request, UserAdminUpdateSerializer)
        user = services.update_user(signed_in(request), user_id, changes)
        return Response(UserSerializer(user).data)
