"""The kiosk page: a tablet at the door identifies whoever faces it (1:N). Signing the
tablet out takes a staff password (a passer-by cannot)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import DEFAULT_TIMEZONE, to_local
from hadir.domain.errors import HadirError
from hadir.http.deps import ClockDep, DatabaseDep, SecurityDep, SettingsDep
from hadir.http.errors import status_of
from hadir.http.session import end_session
from hadir.services.errors import UnauthorizedError
from hadir.services.kiosk import sign_out_kiosk, switch_time
from hadir.web import i18n
from hadir.web.deps import KIOSK_SIGN_IN, KIOSK_SIGN_OUT, Form, KioskPage
from hadir.web.render import page_language, render

router = APIRouter(include_in_schema=False)


@router.get("/kiosk")
def kiosk_page(
    request: Request, _: KioskPage, database: DatabaseDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    today = to_local(clock(), DEFAULT_TIMEZONE)
    switch = switch_time(database.uow_factory(), today.date(), settings.kiosk_switch_time)
    proposed = "check_out" if today.time() >= switch else "check_in"
    return render(
        request,
        "kiosk.html",
        {
            "switch": switch.strftime("%H:%M"),
            "proposed": proposed,
            "today": today,
            "now_iso": today.isoformat(),
            "offset_minutes": int((today.utcoffset() or timedelta()).total_seconds() // 60),
        },
    )


def _sign_out_page(
    request: Request, *, failed: str | None = None, username: str = "", status: int = 200
) -> Response:
    return render(
        request,
        "kiosk_signout.html",
        {"failed": failed, "username": username},
        status=status,
    )


@router.get(KIOSK_SIGN_OUT)
def kiosk_sign_out_page(request: Request, _: KioskPage) -> Response:
    return _sign_out_page(request)


@router.post(KIOSK_SIGN_OUT)
def kiosk_sign_out(
    request: Request,
    kiosk: KioskPage,
    form: Form,
    database: DatabaseDep,
    security: SecurityDep,
    clock: ClockDep,
) -> Response:
    """Staff sign the tablet out with their own username and password."""
    username = str(form.get("username") or "").strip()[:255]
    password = str(form.get("password") or "")[:200]
    try:
        sign_out_kiosk(
            database.uow_factory(),
            kiosk.username,
            username,
            password,
            now=clock(),
            policy=security.sign_in,
            ip=request.client.host if request.client else None,
        )
    except HadirError as exc:
        lang = page_language(request)
        if isinstance(exc, UnauthorizedError):
            failed = i18n.translate(lang, "signin.failed")
        else:
            failed = " ".join(i18n.error_message(lang, exc.code.value))
        return _sign_out_page(request, failed=failed, username=username, status=status_of(exc.code))
    response = RedirectResponse(KIOSK_SIGN_IN, 303)
    end_session(response)
    return response
