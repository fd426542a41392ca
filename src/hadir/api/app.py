"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from hadir import __version__
from hadir.api.errors import install_error_handlers
from hadir.api.routes import faces, health
from hadir.face.pipeline import FaceEngine
from hadir.settings import Settings

log = logging.getLogger("hadir.api")

EngineFactory = Callable[[Settings], FaceEngine]


def _default_engine_factory(settings: Settings) -> FaceEngine:
    from hadir.bootstrap import build_face_engine  # heavy: only when the app starts

    return build_face_engine(settings)


def create_app(
    settings: Settings,
    *,
    face_engine: FaceEngine | None = None,
    engine_factory: EngineFactory | None = None,
) -> FastAPI:
    """Build the app. The face engine is given (tests) or built once at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.face_engine is None:
            factory = engine_factory or _default_engine_factory
            app.state.face_engine = await run_in_threadpool(factory, settings)
            log.info("face engine ready: %s", app.state.face_engine.embedder.contract.key())
        yield

    app = FastAPI(
        title="Hadir",
        version=__version__,
        description="Face-verified staff attendance (absensi).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.face_engine = face_engine
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(faces.router)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` and worker processes: settings from the environment."""
    return create_app(Settings())
