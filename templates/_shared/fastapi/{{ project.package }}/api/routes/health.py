"""Liveness (``/health``: the process answers) and readiness (``/ready``: it can work)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ...readiness import readiness
from ...schemas.common import Health, Readiness
from ..deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the process answers", response_model=Health)
def health() -> Health:
    """Answer 200 while the process runs; the database is not asked."""
    return Health(status="ok")


@router.get(
    "/ready",
    summary="Readiness: the database answers and its migrations are applied",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready: the body says what"}},
)
def ready(session: SessionDep) -> JSONResponse:
    """Answer 200 when the database answers with every migration applied, else 503."""
    status_code, body = readiness(session)
    return JSONResponse(body, status_code=status_code)
