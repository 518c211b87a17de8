"""``/tasks``: tasks you own or are assigned (every task for an admin)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from ..core.authentication import signed_in
from ..core.keyset import paginate_keyset
from ..core.openapi import error
from ..core.validation import validated_body, validated_query
from . import services
from .permissions import CanManageTask
from .serializers import (
    TaskCreateSerializer,
    TaskPageSerializer,
    TaskQuerySerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List tasks you own or are assigned (all for an admin), filtered, sorted",
        parameters=[TaskQuerySerializer],
        responses={200: TaskPageSerializer},
    ),
    create=extend_schema(
        summary="Create a task, maybe in one of your projects, maybe assigned",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer},
    ),
    retrieve=extend_schema(
        summary="Read a task (owner, assignee or admin)", responses={200: TaskSerializer}
    ),
    partial_update=extend_schema(
        summary="Change some fields of a task (the assignee: its status only)",
        request=TaskUpdateSerializer,
        responses={200: TaskSerializer, 403: error("The assignee may change only the status")},
    ),
    destroy=extend_schema(
        summary="Delete a task (owner or admin)",
        responses={204: None, 403: error("Only the owner or an admin")},
    ),
)
class TaskViewSet(viewsets.ViewSet):
    """Tasks the signed-in user sees; any other task is a 404."""

    permission_classes = (IsAuthenticated, CanManageTask)
    lookup_url_kwarg = "task_id"
    lookup_value_regex = "[0-9]+"

    def list(self, request: Request) -> Response:
        """One page of tasks."""
        query = validated_query(request, TaskQuerySerializer)
        tasks = services.list_tasks(signed_in(request), query)
        keys = services.SORT_KEYS[query["sort"].lstrip("-")]
        offset_given = "offset" in request.query_params
        return Response(paginate_keyset(tasks, query, offset_given, keys, TaskSerializer))

    def create(self, request: Request) -> Response:
        """Create a task owned by the signed-in user."""
        task = services.create_task(
            signed_in(request), validated_body(request, TaskCreateSerializer)
        )
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, task_id: str) -> Response:
        """One task."""
        return Response(TaskSerializer(services.get_task(signed_in(request), task_id)).data)

    def partial_update(self, request: Request, task_id: str) -> Response:
        """Change the fields sent (the assignee: only the status)."""
        changes = validated_body(request, TaskUpdateSerializer)
        task = services.update_task(signed_in(request), task_id, changes)
        return Response(TaskSerializer(task).data)

    def destroy(self, request: Request, task_id: str) -> Response:
        """Delete a task: a 404 for those who do not see it, a 403 for its assignee."""
        self.check_object_permissions(request, services.get_task(signed_in(request), task_id))
        services.delete_task(signed_in(request), task_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
