"""Routes of comments, under their task."""

from django.urls import path

from .views import CommentViewSet

urlpatterns = [
    path(
        "tasks/<int:task_id>/comments",
        CommentViewSet.as_view({"get": "list", "post": "create"}),
        name="task-comments",
    ),
    path(
        "tasks/<int:task_id>/comments/<int:comment_id>",
        CommentViewSet.as_view({"delete": "destroy"}),
        name="task-comment",
    ),
]
