"""The public keys that verify the service's tokens, for other services (JWKS)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ..accounts.views import PublicView
from ..core import keys
from .serializers import JwksSerializer

# Verifiers may cache the set; a token with an unknown kid tells them to fetch it again.
CACHE_CONTROL = "public, max-age=300"


class JwksView(PublicView):
    """``GET /.well-known/jwks.json``."""

    @extend_schema(
        summary="Token verification keys", responses={200: JwksSerializer}, tags=["keys"]
    )
    def get(self, request: Request) -> Response:
        """The current public key, and retired ones whose tokens may still be valid."""
        return Response(keys.jwks(), headers={"Cache-Control": CACHE_CONTROL})
