"""The FastAPI application factory: ``create_app()`` builds the app, importing has no effects."""

from fastapi import Depends, FastAPI

from . import SUMMARY, TITLE, __version__
from .api.deps import plain_path_ids
from .api.errors import install_error_handlers
from .api.methods import AnswerOptions
from .api.openapi import openapi_document
from .api.operations import Operations
from .api.router import api_router
from .core import logs
from .core.config import Settings, get_settings
from .core.operations import cors_origins
from .db import Database


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app from ``settings`` (read from the environment by default)."""
    settings = settings or get_settings()
    logs.configure(settings.log_level, settings.log_format, access_log=settings.access_log)
    app = FastAPI(
        title=TITLE,
        summary=SUMMARY,
        version=__version__,
        openapi_url="/openapi.json",
        docs_url="/docs",
        # "/tasks/" is a 404 as in every framework, not a redirect to "/tasks".
        redirect_slashes=False,
        dependencies=[Depends(plain_path_ids)],
    )
    app.state.settings = settings
    app.state.db = Database(settings.database_url, pool_size=settings.db_pool_size)
    install_error_handlers(app)
    app.include_router(api_router)
    app.add_middleware(AnswerOptions)
    # FastAPI's way to give the app its own document is to replace the method (mypy
    # refuses any assignment to a method; the two below are deliberate).
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    # Outermost, around Starlette's own error middleware: a 500 gets the headers too.
    build_stack = app.build_middleware_stack
    cors = cors_origins(settings.cors_origins)
    app.build_middleware_stack = lambda: Operations(build_stack(), cors)  # type: ignore[method-assign]
    return app
