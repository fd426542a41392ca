"""Sign-in and sign-out (people by password, kiosks by device token) and the home redirect."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.errors import HadirError
from hadir.http.deps import ClockDep, DatabaseDep
from hadir.http.errors import status_of
from hadir.http.session import SESSION_SECONDS, end_session, session_token, start_session
from hadir.services.auth import Principal, authenticate, sign_in
from hadir.services.errors import UnauthorizedError
from hadir.services.records import Role
from hadir.web import i18n
from hadir.web.deps import KIOSK_SIGN_IN, KIOSK_SIGN_OUT, SIGN_IN, Form, MaybePrincipal
from hadir.web.render import page_language, render

router = APIRouter(include_in_schema=False)

KIOSK_SECONDS = 365 * 86400

HOMES = {Role.EMPLOYEE: "/absen", Role.KIOSK: "/kiosk"}


def home_of(principal: Principal) -> str:
    return HOMES.get(principal.role, "/admin")


def safe_next(value: object, fallback: str) -> str:
    """A local path to go back to; anything else (other sites, ``//host``) is ignored."""
    text = value if isinstance(value, str) else ""
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    return fallback


@router.get("/")
def home(principal: MaybePrincipal) -> Response:
    return RedirectResponse(SIGN_IN if principal is None else home_of(principal), 303)


def _sign_in_page(
    request: Request,
    *,
    next_url: str,
    failed: str | None = None,
    username: str = "",
    kiosk: bool = False,
    status: int = 200,
) -> Response:
    lang = page_language(request)
    title = i18n.translate(lang, "kiosk.title" if kiosk else "signin.title")
    return render(
        request,
        "signin.html",
        {
            "title": title,
            "action": KIOSK_SIGN_IN if kiosk else SIGN_IN,
            "next": next_url,
            "failed": failed,
            "username": username,
            "kiosk": kiosk,
        },
        status=status,
    )


@router.get(SIGN_IN)
def sign_in_page(
    request: Request, next_url: Annotated[str, Query(alias="next", max_length=2000)] = ""
) -> Response:
    return _sign_in_page(request, next_url=next_url)


@router.post(SIGN_IN)
def sign_in_submit(
    request: Request, form: Form, database: DatabaseDep, clock: ClockDep
) -> Response:
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    try:
        with database.uow_factory() as uow:
            issued = sign_in(uow, username, password, now=clock())
            uow.commit()
    except HadirError as exc:  # a wrong password, or a lock-out / throttle from services
        lang = page_language(request)
        if isinstance(exc, UnauthorizedError):
            failed = i18n.translate(lang, "signin.failed")
        else:
            failed = " ".join(i18n.error_message(lang, exc.code.value))
        return _sign_in_page(
            request,
            next_url=str(form.get("next") or ""),
            failed=failed,
            username=username,
            status=status_of(exc.code),
        )
    role = issued.record.role
    fallback = HOMES.get(role, "/admin")
    response = RedirectResponse(safe_next(form.get("next"), fallback), 303)
    start_session(request, response, issued.token, max_age=SESSION_SECONDS)
    return response


@router.get(KIOSK_SIGN_IN)
def kiosk_sign_in_page(request: Request) -> Response:
    return _sign_in_page(request, next_url="/kiosk", kiosk=True)


@router.post(KIOSK_SIGN_IN)
def kiosk_sign_in_submit(
    request: Request, form: Form, database: DatabaseDep, clock: ClockDep
) -> Response:
    """A kiosk token (made in the console) becomes this tablet's long session."""
    token = str(form.get("token") or "").strip()
    try:
        with database.uow_factory() as uow:
            principal = authenticate(uow, token, now=clock())
        if principal.role is not Role.KIOSK:
            raise UnauthorizedError("not a kiosk token")
    except UnauthorizedError:
        failed = i18n.translate(page_language(request), "kiosk.bad_token")
        return _sign_in_page(request, next_url="/kiosk", failed=failed, kiosk=True, status=401)
    response = RedirectResponse("/kiosk", 303)
    start_session(request, response, token, max_age=KIOSK_SECONDS)
    return response


@router.post("/keluar")
def sign_out(request: Request, _: Form, database: DatabaseDep, clock: ClockDep) -> Response:
    """Revoke the session token and clear the cookie. A kiosk is not signed out here: that
    takes a staff password on the kiosk's own sign-out page (a passer-by cannot)."""
    token = session_token(request)
    if token is not None:
        try:
            with database.uow_factory() as uow:
                principal = authenticate(uow, token, now=clock())
                if principal.role is Role.KIOSK:
                    return RedirectResponse(KIOSK_SIGN_OUT, 303)
                if principal.token_id is not None:
                    uow.tokens.revoke(principal.token_id)
                    uow.commit()
        except UnauthorizedError:
            pass
    response = RedirectResponse(SIGN_IN, 303)
    end_session(response)
    return response
