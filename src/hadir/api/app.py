"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool

from hadir import __version__
from hadir.api.audit import audit_changes
from hadir.api.errors import install_error_handlers
from hadir.api.limits import RequestSizeGuard, request_limit
from hadir.api.ratelimit import SecurityMiddleware
from hadir.api.routes import (
    attendance,
    auth,
    calendar,
    employees,
    enrolment,
    faces,
    health,
    leave,
    liveness,
    privacy,
    reports,
    review,
    schedules,
)
from hadir.api.security import build_security
from hadir.bootstrap import Database
from hadir.face.pipeline import FaceEngine
from hadir.services.index import TemplateIndexProvider
from hadir.settings import Settings

log = logging.getLogger("hadir.api")

EngineFactory = Callable[[Settings], FaceEngine]
Clock = Callable[[], datetime]


def _default_engine_factory(settings: Settings) -> FaceEngine:
    from hadir.bootstrap import build_face_engine  # heavy: only when the app starts

    return build_face_engine(settings)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _open_database(settings: Settings) -> Database:
    from hadir.bootstrap import build_database

    embedded = settings.sqlalchemy_url.startswith("sqlite")
    return build_database(settings, migrate_first=embedded)


def create_app(
    settings: Settings,
    *,
    face_engine: FaceEngine | None = None,
    engine_factory: EngineFactory | None = None,
    database: Database | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """Build the app. The face engine and the database are given (tests) or built once at
    start-up (the embedded SQLite database is migrated first); a database built here is
    disposed at shutdown. ``clock`` (UTC "now") is for tests."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned: Database | None = None
        if app.state.database is None:
            owned = await run_in_threadpool(_open_database, settings)
            app.state.database = owned
            app.state.index_provider = TemplateIndexProvider(
                owned.uow_factory, poll_seconds=settings.index_poll_seconds
            )
        try:
            if app.state.face_engine is None:
                factory = engine_factory or _default_engine_factory
                engine = await run_in_threadpool(factory, settings)
                warm = await run_in_threadpool(engine.warm_up)
                app.state.face_engine = engine
                log.info(
                    "face engine ready in this process (warm-up %.0f ms, %d onnx threads): %s",
                    warm * 1000,
                    settings.onnx_threads,
                    engine.embedder.contract.key(),
                )
            yield
        finally:
            if owned is not None:
                app.state.database = None
                app.state.index_provider = None
                owned.dispose()

    app = FastAPI(
        title="Hadir",
        version=__version__,
        description="Face-verified staff attendance (absensi).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.face_engine = face_engine
    app.state.database = database
    app.state.index_provider = (
        TemplateIndexProvider(database.uow_factory, poll_seconds=settings.index_poll_seconds)
        if database is not None
        else None
    )
    app.state.clock = clock or _utc_now
    app.state.security = build_security(settings)  # refuses evidence capture without a key
    install_error_handlers(app)
    app.add_middleware(
        RequestSizeGuard,
        max_bytes=request_limit(settings),
        max_plain_bytes=min(settings.max_body_bytes, request_limit(settings)),
    )
    app.add_middleware(SecurityMiddleware, security=app.state.security)
    for module in (health, faces, auth, attendance, liveness, reports, privacy):
        app.include_router(module.router)
    # admin changes are audited by one dependency (hadir.api.audit)
    audited = [Depends(audit_changes)]
    for module in (employees, enrolment, review, leave, schedules):
        app.include_router(module.router, dependencies=audited)
    app.include_router(calendar.offices, dependencies=audited)
    app.include_router(calendar.holidays, dependencies=audited)
    from hadir.web.app import install_web  # pages, /static, security headers

    install_web(app)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` and worker processes: settings from the environment."""
    return create_app(Settings())
