"""Liveness (``/health``: the process answers) and readiness (``/ready``: it can work)."""

from flask import Blueprint, Response, jsonify

from ...readiness import readiness
from ...schemas.common import Health, Readiness
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("health", __name__)


@bp.get("/health")
@endpoint(summary="Liveness: the process answers", response=Health)
def health() -> Response:
    """Answer 200 while the process runs; the database is not asked."""
    return jsonify({"status": "ok"})


@bp.get("/ready")
@endpoint(
    summary="Readiness: the database answers and its migrations are applied",
    response=Readiness,
    errors={503: ("Not ready: the body says what", Readiness)},
)
def ready() -> Response:
    """Answer 200 when the database answers with every migration applied, else 503."""
    status_code, body = readiness(db_session())
    response = jsonify(body)
    response.status_code = status_code
    return response
