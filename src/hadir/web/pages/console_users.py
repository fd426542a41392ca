"""Console pages about accounts: users and kiosk device tokens (admin only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep
from hadir.services.accounts import (
    add_account,
    create_kiosk_token,
    deactivate_user,
    list_accounts,
    revoke_token,
)
from hadir.services.container import Database
from hadir.services.kiosk import reissue_kiosk_token
from hadir.services.records import Role
from hadir.web.confirm import ask_first
from hadir.web.deps import AdminPage, Form
from hadir.web.forms import optional_text, text_field
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)

USERS = "/admin/pengguna"


def _users_page(
    request: Request,
    database: Database,
    clock: ClockDep,
    *,
    new_token: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    accounts = list_accounts(database.uow_factory(), now=clock())
    return render(
        request,
        "console/users.html",
        {
            "accounts": accounts,
            "roles": [r.value for r in Role if r is not Role.KIOSK],
            "new_token": new_token,
            "problem": problem,
        },
        status=status,
    )


@router.get("/pengguna")
def users_page(request: Request, _: AdminPage, database: DatabaseDep, clock: ClockDep) -> Response:
    return _users_page(request, database, clock)


@router.post("/pengguna")
def user_create(
    request: Request, principal: AdminPage, form: Form, database: DatabaseDep, clock: ClockDep
) -> Response:
    try:
        role = Role(text_field(form, "role"))
        add_account(
            database.uow_factory(),
            text_field(form, "username", max_length=255),
            text_field(form, "password", max_length=200),
            role,
            employee_nip=optional_text(form, "employee_id", max_length=64),
            unit=optional_text(form, "unit", max_length=255),
            actor=principal.username,
        )
    except (HadirError, ValueError) as exc:
        error = exc if isinstance(exc, HadirError) else DomainValidationError(str(exc))
        return _users_page(
            request, database, clock, problem=problem_text(request, error), status=422
        )
    return RedirectResponse("/admin/pengguna?ok=users.added", 303)


@router.post("/pengguna/kiosk")
def kiosk_token_create(
    request: Request, principal: AdminPage, form: Form, database: DatabaseDep, clock: ClockDep
) -> Response:
    """A kiosk device token, shown once on the page that answers this post."""
    try:
        issued = create_kiosk_token(
            database.uow_factory(),
            text_field(form, "name", max_length=100),
            now=clock(),
            actor=principal.username,
        )
    except HadirError as exc:
        return _users_page(request, database, clock, problem=problem_text(request, exc), status=422)
    response = _users_page(request, database, clock, new_token=issued.token, status=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/pengguna/token/{token_id}/terbitkan")
def kiosk_token_reissue(
    request: Request,
    token_id: int,
    principal: AdminPage,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """A new token for a kiosk (the old one stops working), shown once."""
    if (asked := ask_first(request, form, "confirm.reissue_plain", back=USERS)) is not None:
        return asked
    issued = reissue_kiosk_token(
        database.uow_factory(), token_id, now=clock(), actor=principal.username
    )
    response = _users_page(request, database, clock, new_token=issued.token)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/pengguna/token/{token_id}/cabut")
def token_revoke(
    request: Request, token_id: int, principal: AdminPage, form: Form, database: DatabaseDep
) -> Response:
    if (asked := ask_first(request, form, "confirm.revoke_plain", back=USERS)) is not None:
        return asked
    revoke_token(database.uow_factory(), token_id, actor=principal.username)
    return RedirectResponse("/admin/pengguna?ok=users.revoked", 303)


@router.post("/pengguna/{user_id}/nonaktif")
def user_deactivate(
    request: Request, user_id: int, principal: AdminPage, form: Form, database: DatabaseDep
) -> Response:
    if (asked := ask_first(request, form, "confirm.deactivate_plain", back=USERS)) is not None:
        return asked
    deactivate_user(database.uow_factory(), user_id, actor=principal.username)
    return RedirectResponse("/admin/pengguna?ok=users.deactivated", 303)
