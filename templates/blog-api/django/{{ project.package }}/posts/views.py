"""``/posts``: published posts for everyone, drafts for their author and admins."""

from collections.abc import Sequence

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import CharField

from ..core.authentication import signed_in, viewer
from ..core.keyset import paginate_keyset
from ..core.openapi import error
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .serializers import (
    PostCreateSerializer,
    PostQuerySerializer,
    PostSerializer,
    PostUpdateSerializer,
)
from .viewer import AnonymousOrSignedIn

#: Reading is public (a bearer token, if sent, must be valid); writing needs a user.
PUBLIC_ACTIONS = frozenset({"list", "retrieve"})


@extend_schema_view(
    list=extend_schema(
        summary="List published posts (or your drafts), filtered, newest first, paginated",
        parameters=[PostQuerySerializer],
        responses={
            200: page_serializer(PostSerializer, "PostPage", next_cursor=CharField(allow_null=True))
        },
    ),
    create=extend_schema(
        summary="Write a post (authors and admins)",
        request=PostCreateSerializer,
        responses={
            201: PostSerializer,
            403: error("Author role required"),
            409: error("Too many posts with this title at once"),
        },
    ),
    retrieve=extend_schema(
        summary="Read a post (a draft only as its author or an admin)",
        responses={200: PostSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a post, or publish it (its author or an admin)",
        request=PostUpdateSerializer,
        responses={200: PostSerializer, 403: error("Only the post's author or an admin")},
    ),
    destroy=extend_schema(
        summary="Delete a post and its comments (its author or an admin)",
        responses={204: None, 403: error("Only the post's author or an admin")},
    ),
)
class PostViewSet(viewsets.ViewSet):
    """Posts by slug; a draft the user may not see is a 404."""

    lookup_field = "slug"
    lookup_url_kwarg = "slug"
    # Anything without a slash: malformed slugs are a 404 from the service.
    lookup_value_regex = "[^/]+"

    def get_permissions(self) -> Sequence[BasePermission]:
        """Anyone reads; writing needs a signed-in user (the service checks the role)."""
        if self.action in PUBLIC_ACTIONS:
            return [AnonymousOrSignedIn()]
        return [IsAuthenticated()]

    def list(self, request: Request) -> Response:
        """One page of posts."""
        query = validated_query(request, PostQuerySerializer)
        page = paginate_keyset(
            services.list_posts(viewer(request), query),
            {**query, "sort": services.SORT},
            "offset" in request.query_params,
            services.SORT_KEYS,
            PostSerializer,
        )
        return Response(page)

    def create(self, request: Request) -> Response:
        """Write a post as the signed-in author; its slug is made from the title."""
        data = validated_body(request, PostCreateSerializer)
        post = services.create_post(signed_in(request), data)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, slug: str) -> Response:
        """One post."""
        return Response(PostSerializer(services.get_post(viewer(request), slug)).data)

    def partial_update(self, request: Request, slug: str) -> Response:
        """Change the fields sent, or publish the post."""
        changes = validated_body(request, PostUpdateSerializer)
        return Response(
            PostSerializer(services.update_post(signed_in(request), slug, changes)).data
        )

    def destroy(self, request: Request, slug: str) -> Response:
        """Delete a post and its comments."""
        services.delete_post(signed_in(request), slug)
        return Response(status=status.HTTP_204_NO_CONTENT)
