"""``/projects``: a user's projects (every project for an admin)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.authentication import signed_in
from ..core.openapi import error
from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_body, validated_query
from . import services
from .serializers import (
    ProjectCreateSerializer,
    ProjectQuerySerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List your projects (all for an admin), by name, with their task counts",
        parameters=[ProjectQuerySerializer],
        responses={200: page_serializer(ProjectSerializer, "ProjectPage")},
    ),
    create=extend_schema(
        summary="Create a project",
        request=ProjectCreateSerializer,
        responses={201: ProjectSerializer, 409: error("You have a project of this name")},
    ),
    retrieve=extend_schema(summary="Read a project", responses={200: ProjectSerializer}),
    partial_update=extend_schema(
        summary="Rename a project or change its description",
        request=ProjectUpdateSerializer,
        responses={200: ProjectSerializer, 409: error("You have a project of this name")},
    ),
    destroy=extend_schema(
        summary="Delete a project; its tasks stay, in no project", responses={204: None}
    ),
)
class ProjectViewSet(viewsets.ViewSet):
    """Projects of the signed-in user; another user's project is a 404."""

    lookup_url_kwarg = "project_id"
    lookup_value_regex = "[0-9]+"

    def list(self, request: Request) -> Response:
        """One page of projects."""
        query = validated_query(request, ProjectQuerySerializer)
        return Response(
            paginate(services.list_projects(signed_in(request)), query, ProjectSerializer)
        )

    def create(self, request: Request) -> Response:
        """Create a project owned by the signed-in user."""
        data = validated_body(request, ProjectCreateSerializer)
        project = services.create_project(signed_in(request), data)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, project_id: str) -> Response:
        """One project."""
        return Response(
            ProjectSerializer(services.get_project(signed_in(request), project_id)).data
        )

    def partial_update(self, request: Request, project_id: str) -> Response:
        """Change the fields sent."""
        changes = validated_body(request, ProjectUpdateSerializer)
        project = services.update_project(signed_in(request), project_id, changes)
        return Response(ProjectSerializer(project).data)

    def destroy(self, request: Request, project_id: str) -> Response:
        """Delete a project."""
        services.delete_project(signed_in(request), project_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
