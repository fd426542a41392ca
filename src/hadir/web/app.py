"""Wiring of the web app into the FastAPI application (called by ``create_app``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from hadir.web.deps import PageError, PageForbidden, SignInRequired
from hadir.web.pages import auth, checkin, console, console_people, console_records, kiosk
from hadir.web.render import render
from hadir.web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    """Pages, ``/static``, security headers and the sign-in redirect."""
    for module in (auth, checkin, kiosk, console, console_people, console_records):
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
