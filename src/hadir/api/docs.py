"""The API documentation (``/docs``, ``/openapi.json``), served from the app itself.

Swagger UI's files come from the ``swagger-ui-bundle`` package (Apache-2.0, Swagger UI
4.15.5), located with ``importlib.util.find_spec`` and mounted at ``/docs/assets``; the
page's only script of its own is ``/static/js/api-docs.js``, so the page works in an
office without internet and runs under ``script-src 'self'`` (no inline script, no CDN).
``HADIR_API_DOCS``: ``public`` (default), ``staff`` (a signed-in operator, supervisor or
admin, by bearer token or web session) or ``off``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from hadir.api.deps import require
from hadir.services.records import Role

VENDOR = "vendor/swagger-ui-4.15.5"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hadir API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body></html>
"""


def swagger_ui_dir() -> Path | None:
    """The folder of Swagger UI's dist files, or ``None`` without the package."""
    spec = importlib.util.find_spec("swagger_ui_bundle")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / VENDOR
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def _anyone() -> None:
    return None


def install_docs(app: FastAPI, mode: str) -> None:
    """``/docs`` and ``/openapi.json`` per ``mode`` (``public``, ``staff`` or ``off``).
    The FastAPI app must be built with ``docs_url``, ``redoc_url`` and ``openapi_url``
    set to ``None``."""
    if mode == "off":
        return
    who = require(Role.OPERATOR, Role.SUPERVISOR) if mode == "staff" else _anyone
    reader: list[Any] = [Depends(who)]

    @app.get("/openapi.json", include_in_schema=False, dependencies=reader)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=reader)
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE)

    folder = swagger_ui_dir()
    if folder is not None:
        app.mount("/docs/assets", StaticFiles(directory=folder), name="swagger-ui")
