"""Page dependencies: who is signed in (else a redirect to the sign-in page), which roles
may open a page, and a posted form whose CSRF token was checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.datastructures import FormData

from hadir.domain.errors import HadirError
from hadir.http.deps import ClockDep, DatabaseDep, session_principal
from hadir.http.session import CSRF_FIELD, check_csrf
from hadir.services.auth import Principal
from hadir.services.errors import UnauthorizedError
from hadir.services.records import Role

SIGN_IN = "/masuk"
KIOSK_SIGN_IN = "/kiosk/aktifkan"
KIOSK_SIGN_OUT = "/kiosk/keluar"


class SignInRequired(Exception):
    """No (valid) session: the handler redirects to ``target``."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class PageForbidden(Exception):
    """Signed in, but this role may not open the page (a 403 page)."""


class PageError(Exception):
    """A refusal shown as a page (its catalogue message), e.g. ``csrf_failed``."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


PASSWORD = "/akun/sandi"


def _sign_in_url(request: Request, base: str) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{base}?next={quote(here, safe='')}"


def current_principal(request: Request, database: DatabaseDep, clock: ClockDep) -> Principal:
    base = KIOSK_SIGN_IN if request.url.path.startswith("/kiosk") else SIGN_IN
    try:
        principal = session_principal(request, database, clock)
    except UnauthorizedError as exc:
        raise SignInRequired(_sign_in_url(request, base)) from exc
    if principal is None:
        raise SignInRequired(_sign_in_url(request, base))
    if principal.must_change_password and request.url.path not in (PASSWORD, "/keluar"):
        raise SignInRequired(PASSWORD)  # a one-time password is changed before anything else
    request.state.principal = principal
    return principal


def optional_principal(
    request: Request, database: DatabaseDep, clock: ClockDep
) -> Principal | None:
    try:
        return current_principal(request, database, clock)
    except SignInRequired:
        return None


def page_role(*roles: Role) -> Callable[[Principal], Principal]:
    """Admit ``roles`` (admin always); others get the 403 page."""
    allowed = frozenset(roles) | {Role.ADMIN}

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            raise PageForbidden(principal.role.value)
        return principal

    return dependency


async def checked_form(request: Request) -> FormData:
    """The posted form, after its ``csrf`` field was checked (``csrf_failed``)."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    try:
        check_csrf(request, sent if isinstance(sent, str) else None)
    except HadirError as exc:
        raise PageError(exc.code.value, 403) from exc
    return form


def _admin_only(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.role is not Role.ADMIN:
        raise PageForbidden(principal.role.value)
    return principal


AnyPage = Annotated[Principal, Depends(current_principal)]
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
ConsolePage = Annotated[Principal, Depends(page_role(Role.OPERATOR, Role.SUPERVISOR))]
"""Console pages every staff member reads (supervisors: their own unit)."""
StaffPage = Annotated[Principal, Depends(page_role(Role.OPERATOR))]
"""HR pages: employees, faces, calendar."""
AdminPage = Annotated[Principal, Depends(_admin_only)]
EmployeePage = Annotated[Principal, Depends(page_role(Role.EMPLOYEE))]
KioskPage = Annotated[Principal, Depends(page_role(Role.KIOSK))]
Form = Annotated[FormData, Depends(checked_form)]
