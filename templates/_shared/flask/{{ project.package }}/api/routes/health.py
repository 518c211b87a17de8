"""Liveness: the process answers and the database takes a query."""

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ...schemas.common import Health
from ..deps import db_session
from ..endpoint import endpoint

bp = Blueprint("health", __name__)


@bp.get("/health")
@endpoint(
    summary="Liveness and database check",
    response=Health,
    errors={503: ("The database does not answer", Health)},
)
def health() -> Response:
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        response = jsonify({"status": "unavailable", "database": "error"})
        response.status_code = 503
        return response
    return jsonify({"status": "ok", "database": "ok"})
