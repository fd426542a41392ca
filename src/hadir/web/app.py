"""Wiring of the web app into the FastAPI application (called by ``create_app``)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from hadir.domain.errors import HadirError
from hadir.http.errors import status_of
from hadir.web.deps import PageError, PageForbidden, SignInRequired
from hadir.web.pages import (
    auth,
    checkin,
    console,
    console_accounts,
    console_calendar,
    console_faces,
    console_leave,
    console_people,
    console_print,
    console_records,
    console_review,
    console_shifts,
    console_units,
    console_users,
    corrections,
    kiosk,
    pwa,
)
from hadir.web.render import render
from hadir.web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"
Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


def install_web(app: FastAPI) -> None:
    """Pages, ``/static``, security headers and the sign-in redirect."""
    for module in (
        auth,
        checkin,
        kiosk,
        console,
        console_accounts,
        console_people,
        console_print,
        console_records,
        console_review,
        console_leave,
        console_calendar,
        console_shifts,
        console_faces,
        console_users,
        console_units,
        corrections,
        pwa,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(SignInRequired)
    async def sign_in(_: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(exc.target, status_code=303)

    @app.exception_handler(PageForbidden)
    async def forbidden(request: Request, _: PageForbidden) -> Response:
        return render(request, "error.html", {"code": "forbidden"}, status=403)

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return render(request, "error.html", {"code": exc.code}, status=exc.status)

    _pages_answer_in_html(app)


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path in ("/health", "/docs", "/redoc", "/openapi.json"))


async def _call(handler: Handler, request: Request, exc: Exception) -> Response:
    answer = handler(request, exc)
    return await answer if inspect.isawaitable(answer) else answer


def _pages_answer_in_html(app: FastAPI) -> None:
    """Errors on page paths are pages (the API keeps its JSON errors): a domain error, a
    bad query string, an unknown address."""
    handlers = app.exception_handlers
    json_domain = handlers[HadirError]
    json_validation = handlers[RequestValidationError]
    json_http = handlers[StarletteHTTPException]

    async def domain(request: Request, exc: Exception) -> Response:
        if not _is_page(request) or not isinstance(exc, HadirError):
            return await _call(json_domain, request, exc)
        return render(request, "error.html", {"code": exc.code.value}, status=status_of(exc.code))

    async def validation(request: Request, exc: Exception) -> Response:
        if not _is_page(request):
            return await _call(json_validation, request, exc)
        return render(request, "error.html", {"code": "validation_error"}, status=422)

    async def http(request: Request, exc: Exception) -> Response:
        if not _is_page(request) or not isinstance(exc, StarletteHTTPException):
            return await _call(json_http, request, exc)
        code = "not_found" if exc.status_code == 404 else "unknown"
        return render(request, "error.html", {"code": code}, status=exc.status_code)

    app.add_exception_handler(HadirError, domain)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http)
