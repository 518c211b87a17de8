"""No routes (feature "jwks"): accounts sign in at the auth-service, whose tokens this
service accepts, so register, login and refresh are not here (404)."""

from fastapi import APIRouter

router = APIRouter()
