"""Pages about accounts and staff files: one's own password, an administrator's password
reset (a one-time password shown once), and the console's employee import."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep
from hadir.services.accounts import list_accounts
from hadir.services.errors import UnauthorizedError
from hadir.services.passwords import change_password, reset_password
from hadir.services.people import COLUMNS, import_employees, parse_employee_file
from hadir.services.records import Role
from hadir.web import i18n
from hadir.web.deps import PASSWORD, AdminPage, AnyPage, Form, PageActor, StaffPage
from hadir.web.pages.console_people import problem_text
from hadir.web.render import page_language, render

router = APIRouter(include_in_schema=False)

MAX_IMPORT_BYTES = 5_000_000
"""A staff file of 50 000 rows fits well within this."""


def _password_page(
    request: Request,
    principal: AnyPage,
    *,
    problem: str | None = None,
    done: bool = False,
    status: int = 200,
) -> Response:
    context = {"must_change": principal.must_change_password, "problem": problem, "done": done}
    return render(request, "password.html", context, status=status)


@router.get(PASSWORD)
def password_page(request: Request, principal: AnyPage) -> Response:
    return _password_page(request, principal, done=request.query_params.get("ok") == "1")


@router.post(PASSWORD)
def password_change(
    request: Request, principal: AnyPage, actor: PageActor, form: Form, database: DatabaseDep
) -> Response:
    current = str(form.get("current_password") or "")
    new = str(form.get("new_password") or "")
    try:
        if new != str(form.get("new_password_again") or ""):
            raise DomainValidationError("The two new passwords differ.", field="new_password_again")
        change_password(database.uow_factory, principal.user_id, current, new, actor=actor)
    except HadirError as exc:
        lang = page_language(request)
        problem = (
            i18n.translate(lang, "password.wrong")
            if isinstance(exc, UnauthorizedError)
            else problem_text(request, exc)
        )
        return _password_page(request, principal, problem=problem, status=422)
    return RedirectResponse(f"{PASSWORD}?ok=1", 303)


@router.post("/admin/pengguna/{user_id}/sandi")
def password_reset(
    request: Request,
    user_id: int,
    _: AdminPage,
    actor: PageActor,
    __: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """A one-time password for the account, shown once on the page that answers."""
    now = clock()
    problem, one_time, status = None, None, 200
    try:
        one_time = reset_password(database.uow_factory, user_id, now=now, actor=actor)
    except HadirError as exc:
        problem, status = problem_text(request, exc), 422
    context = {
        "accounts": list_accounts(database.uow_factory, now=now),
        "roles": [r.value for r in Role if r is not Role.KIOSK],
        "new_token": None,
        "one_time": one_time,
        "problem": problem,
    }
    response = render(request, "console/users.html", context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/admin/pegawai/impor")
def import_page(request: Request, _: StaffPage) -> Response:
    return render(request, "console/import.html", {"columns": COLUMNS, "summary": None})


async def _read_file(upload: UploadFile) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := await upload.read(1 << 16):
        total += len(chunk)
        if total > MAX_IMPORT_BYTES:
            raise DomainValidationError(
                f"The file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB.", field="file"
            )
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/admin/pegawai/impor")
async def import_submit(
    request: Request, _: StaffPage, actor: PageActor, form: Form, database: DatabaseDep
) -> Response:
    """Create or update employees from a CSV/XLSX file; the page lists a result per line."""
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise DomainValidationError("Choose a .csv or .xlsx file.", field="file")
        data = await _read_file(upload)
        parsed = await run_in_threadpool(parse_employee_file, upload.filename, data)
        summary = await run_in_threadpool(
            import_employees, database.uow_factory, parsed, actor=actor
        )
    except HadirError as exc:
        failed = {"columns": COLUMNS, "summary": None, "problem": problem_text(request, exc)}
        return render(request, "console/import.html", failed, status=422)
    context: dict[str, object] = {
        "columns": COLUMNS,
        "summary": summary,
        "ignored": parsed.ignored_columns,
    }
    return render(request, "console/import.html", context)
