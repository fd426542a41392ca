"""Installable on a phone's home screen: the service worker is served from the root so
that its scope is the whole site (the manifest and icons are plain static files)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

router = APIRouter(include_in_schema=False)

WORKER = Path(__file__).parent.parent / "static" / "js" / "sw.js"


@router.get("/sw.js")
def service_worker() -> Response:
    return FileResponse(
        WORKER,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
