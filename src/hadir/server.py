"""The HTTP application: the API and the pages over one ``Container``.

``create_app`` receives everything already built (``hadir.bootstrap.build_container``);
it only wires routers, middleware and error handlers.
``hadir.bootstrap.app_from_env`` is the factory for uvicorn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from hadir import __version__
from hadir.api.app import install_api
from hadir.api.docs import install_docs
from hadir.api.limits import RequestSizeGuard, request_limit
from hadir.http.errors import install_error_handlers
from hadir.http.ratelimit import SecurityMiddleware
from hadir.services.container import Container
from hadir.web.app import install_web


def create_app(container: Container) -> FastAPI:
    """The app over ``container``; its database is disposed when the app shuts down."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await run_in_threadpool(container.database.dispose)

    app = FastAPI(
        title="Hadir",
        version=__version__,
        description="Face-verified staff attendance (absensi).",
        lifespan=lifespan,
        docs_url=None,  # served by hadir.api.docs: local Swagger UI, optionally staff only
        redoc_url=None,
        openapi_url=None,
    )
    app.state.container = container
    install_error_handlers(app)
    limit = request_limit(container.settings)
    app.add_middleware(
        RequestSizeGuard,
        max_bytes=limit,
        max_plain_bytes=min(container.settings.max_body_bytes, limit),
    )
    app.add_middleware(SecurityMiddleware, security=container.security)
    install_api(app)
    install_docs(app, container.settings.api_docs)
    install_web(app)  # pages, /static, security headers
    return app
