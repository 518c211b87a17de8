"""Routes of jwks: /.well-known/jwks.json."""

from django.urls import path

from . import views

urlpatterns = [path(".well-known/jwks.json", views.JwksView.as_view(), name="jwks")]
