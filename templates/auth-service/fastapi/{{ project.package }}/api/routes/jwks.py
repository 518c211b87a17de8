"""The public keys that verify the service's tokens, for other services (JWKS)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ...core import keys
from ...schemas.jwks import Jwks
from ..deps import SettingsDep

router = APIRouter(tags=["keys"])
# Verifiers may cache the set; a token with an unknown kid tells them to fetch it again.
CACHE_CONTROL = "public, max-age=300"


@router.get("/.well-known/jwks.json", response_model=Jwks, summary="Token verification keys")
def read_jwks(settings: SettingsDep) -> JSONResponse:
    """The current public key, and retired ones whose tokens may still be valid."""
    return JSONResponse(keys.jwks(settings), headers={"Cache-Control": CACHE_CONTROL})
