"""``/tasks/{task_id}/comments``: comments on a task, for whoever sees the task."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.authentication import signed_in
from ..core.openapi import error
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .permissions import IsAuthorOrAdmin
from .serializers import CommentCreateSerializer, CommentQuerySerializer, CommentSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List the comments on a task, oldest first",
        parameters=[CommentQuerySerializer],
        responses={200: page_serializer(CommentSerializer, "CommentPage")},
    ),
    create=extend_schema(
        summary="Comment on a task you see",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a comment (its author or an admin)",
        responses={204: None, 403: error("Only the author or an admin")},
    ),
)
class CommentViewSet(viewsets.ViewSet):
    """Comments of one task; a task the user does not see is a 404."""

    permission_classes = (IsAuthenticated, IsAuthorOrAdmin)

    def list(self, request: Request, task_id: int) -> Response:
        """One page of comments."""
        query = validated_query(request, CommentQuerySerializer)
        comments = services.list_comments(signed_in(request), task_id)
        return Response(paginate(comments, query, CommentSerializer))

    def create(self, request: Request, task_id: int) -> Response:
        """Comment as the signed-in user."""
        data = validated_body(request, CommentCreateSerializer)
        comment = services.add_comment(signed_in(request), task_id, data)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, task_id: int, comment_id: int) -> Response:
        """Delete a comment: a 404 for those who do not see it, a 403 for others."""
        self.check_object_permissions(
            request, services.get_comment(signed_in(request), task_id, comment_id)
        )
        services.delete_comment(signed_in(request), task_id, comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
