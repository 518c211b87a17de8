"""Routes of comments, under their post."""

from django.urls import path

from .views import CommentViewSet

urlpatterns = [
    path(
        "posts/<str:slug>/comments",
        CommentViewSet.as_view({"get": "list", "post": "create"}),
        name="post-comments",
    ),
    path(
        "posts/<str:slug>/comments/<int:comment_id>",
        CommentViewSet.as_view({"delete": "destroy"}),
        name="post-comment",
    ),
]
