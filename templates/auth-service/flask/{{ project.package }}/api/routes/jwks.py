"""The public keys that verify the service's tokens, for other services (JWKS)."""

from flask import Blueprint, Response, jsonify

from ...core import keys
from ...schemas.jwks import Jwks
from ..deps import app_settings
from ..endpoint import endpoint

bp = Blueprint("jwks", __name__)
# Verifiers may cache the set; a token with an unknown kid tells them to fetch it again.
CACHE_CONTROL = "public, max-age=300"


@bp.get("/.well-known/jwks.json")
@endpoint(summary="Token verification keys", response=Jwks)
def read_jwks() -> Response:
    """The current public key, and retired ones whose tokens may still be valid."""
    response = jsonify(keys.jwks(app_settings()))
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
