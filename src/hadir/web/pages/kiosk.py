"""The kiosk page: a tablet at the door identifies whoever faces it (1:N)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hadir.web.deps import KioskPage
from hadir.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/kiosk")
def kiosk_page(request: Request, _: KioskPage) -> Response:
    return render(request, "kiosk.html")
