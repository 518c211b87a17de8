"""The Flask application factory: ``create_app()`` builds the app, importing has no effects."""

from flask import Flask

from .api.converters import IdConverter
from .api.errors import register_error_handlers
from .api.methods import ServiceFlask
from .api.openapi import openapi_document
from .api.operations import install_operations
from .api.routes import BLUEPRINTS
from .core import logs
from .core.config import Settings, get_settings
from .db import Database

MAX_BODY_BYTES = 1024 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app from ``settings`` (read from the environment by default)."""
    settings = settings or get_settings()
    logs.configure(settings.log_level, settings.log_format, access_log=settings.access_log)
    app = ServiceFlask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.extensions["settings"] = settings
    app.extensions["db"] = Database(settings.database_url, pool_size=settings.db_pool_size)
    # Before any blueprint: every <int:...> in a route is an id.
    app.url_map.converters["int"] = IdConverter
    app.teardown_appcontext(_close_session)
    register_error_handlers(app)
    install_operations(app, settings.cors_origins)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.add_url_rule("/openapi.json", "openapi", lambda: openapi_document(app))
    return app


def _close_session(_error: BaseException | None) -> None:
    from .api.deps import close_session

    close_session()
