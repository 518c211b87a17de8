"""``/posts/{slug}/comments``: anyone reads them, signed-in users write them."""

from collections.abc import Sequence

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.authentication import signed_in, viewer
from ..core.openapi import error
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from ..posts.viewer import AnonymousOrSignedIn
from . import services
from .serializers import CommentCreateSerializer, CommentQuerySerializer, CommentSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List the comments of a post, oldest first",
        parameters=[CommentQuerySerializer],
        responses={200: page_serializer(CommentSerializer, "CommentPage")},
    ),
    create=extend_schema(
        summary="Comment on a published post",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, 409: error("Only published posts take comments")},
    ),
    destroy=extend_schema(
        summary="Delete a comment (its author or an admin)",
        responses={204: None, 403: error("Only its author or an admin")},
    ),
)
class CommentViewSet(viewsets.ViewSet):
    """Comments of one post; a post the user may not see is a 404."""

    def get_permissions(self) -> Sequence[BasePermission]:
        """Anyone reads comments; writing and deleting need a signed-in user."""
        if self.action == "list":
            return [AnonymousOrSignedIn()]
        return [IsAuthenticated()]

    def list(self, request: Request, slug: str) -> Response:
        """One page of comments."""
        query = validated_query(request, CommentQuerySerializer)
        comments = services.list_comments(viewer(request), slug)
        return Response(paginate(comments, query, CommentSerializer))

    def create(self, request: Request, slug: str) -> Response:
        """Comment as the signed-in user."""
        data = validated_body(request, CommentCreateSerializer)
        comment = services.add_comment(signed_in(request), slug, data)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, slug: str, comment_id: int) -> Response:
        """Delete a comment: a 404 for a post or comment not seen, a 403 for others."""
        services.delete_comment(signed_in(request), slug, comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
