"""``/tags``: the tags of published posts with their post counts."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.pagination import paginate
from ..core.serializers import page_serializer
from ..core.validation import validated_query
from . import services
from .serializers import TagQuerySerializer, TagSerializer


class TagListView(APIView):
    """Public: tags are made on first use and counted over published posts.

    Anyone may read them, and a token that comes along is not even read (as on every
    framework).
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        summary="List the tags of published posts with their post counts",
        parameters=[TagQuerySerializer],
        responses={200: page_serializer(TagSerializer, "TagPage")},
    )
    def get(self, request: Request) -> Response:
        """One page of tags, most used first, then by name."""
        query = validated_query(request, TagQuerySerializer)
        return Response(paginate(services.list_tags(), query, TagSerializer))
