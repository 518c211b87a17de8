"""Routes of tags."""

from django.urls import path

from .views import TagListView

urlpatterns = [path("tags", TagListView.as_view(), name="tags")]
