"""Liveness: the process answers and the database takes a query."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ...schemas.common import Health
from ..deps import SessionDep

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="Liveness and database check",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
def health(session: SessionDep) -> JSONResponse:
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "unavailable", "database": "error"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
