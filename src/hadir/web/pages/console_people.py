"""Console pages about people: employees (with face enrolment)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import (
    ClockDep,
    DatabaseDep,
    EngineDep,
    IndexDep,
    SettingsDep,
    read_upload,
)
from hadir.services.container import Database
from hadir.services.employees import (
    create_employee,
    set_employee_active,
    superior_nips,
    update_employee,
)
from hadir.services.enrolment import (
    EnrolmentOutcome,
    delete_face,
    delete_faces,
    enrol_faces,
    find_employee,
    list_faces,
)
from hadir.services.errors import ForbiddenError
from hadir.services.records import NewEmployee, Role
from hadir.services.units import unit_tree
from hadir.web import i18n
from hadir.web.confirm import ask_first
from hadir.web.deps import Form, PageActor, StaffPage
from hadir.web.forms import optional_date, optional_text, text_field
from hadir.web.render import page_language, render

router = APIRouter(prefix="/admin", include_in_schema=False)

MAX_IMAGES = 10
PAGE = 50


def problem_text(request: Request, error: HadirError) -> str:
    return i18n.problem(page_language(request), error.code.value, error.details.get("field"))


def _offices(database: Database) -> list[Any]:
    with database.uow_factory() as uow:
        return uow.offices.list()


def _employee_fields(form: Any) -> dict[str, Any]:
    """The posted fields; ``superior_id`` is the superior's NIP (the service resolves it)."""
    office = text_field(form, "office_id", max_length=20)
    kind = text_field(form, "employee_type", max_length=16)
    return {
        "name": text_field(form, "name", max_length=255),
        "unit": text_field(form, "unit", max_length=255),
        "position": text_field(form, "position", max_length=255),
        "office_id": int(office) if office.isdigit() else None,
        "email": optional_text(form, "email", max_length=255),
        "phone": optional_text(form, "phone", max_length=64),
        "grade": text_field(form, "grade", max_length=16),
        "echelon": text_field(form, "echelon", max_length=16),
        "superior_id": optional_text(form, "superior_id", max_length=64),
        "start_date": optional_date(form, "start_date"),
        "end_date": optional_date(form, "end_date"),
    } | ({"employee_type": kind} if kind else {})


def _employees_page(
    request: Request,
    database: Database,
    search: str | None,
    offset: int,
    *,
    problem: str | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    with database.uow_factory() as uow:
        rows = uow.employees.list(search=search or None, limit=PAGE + 1, offset=offset)
        found = uow.templates.counts(e.id for e in rows[:PAGE])  # one query for the page
        counts = {e.id: found.get(e.id, 0) for e in rows[:PAGE]}
    return render(
        request,
        "console/employees.html",
        {
            "employees": rows[:PAGE],
            "faces": counts,
            "search": search or "",
            "offset": offset,
            "limit": PAGE,
            "has_more": len(rows) > PAGE,
            "offices": _offices(database),
            "unit_nodes": unit_tree(database.uow_factory),
            "problem": problem,
            "values": values or {},
        },
        status=200 if problem is None else 422,
    )


@router.get("/pegawai")
def employees_page(
    request: Request,
    _: StaffPage,
    database: DatabaseDep,
    q: Annotated[str | None, Query(max_length=255)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    return _employees_page(request, database, q, offset)


@router.post("/pegawai")
def employee_create(
    request: Request, _: StaffPage, actor: PageActor, form: Form, database: DatabaseDep
) -> Response:
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "password"}
    try:
        fields = _employee_fields(form)
        superior = fields.pop("superior_id")
        fields.setdefault("employee_type", "pns")
        employee = NewEmployee(employee_id=text_field(form, "employee_id", max_length=64), **fields)
        password = text_field(form, "password", max_length=200) or None
        record = create_employee(
            database.uow_factory,
            employee,
            password=password,
            actor=actor,
            superior_nip=superior,
        )
    except HadirError as exc:
        return _employees_page(
            request, database, None, 0, problem=problem_text(request, exc), values=values
        )
    return RedirectResponse(f"/admin/pegawai/{record.employee_id}?ok=emp.created", 303)


def _employee_page(
    request: Request,
    database: Database,
    nip: str,
    *,
    outcomes: list[EnrolmentOutcome] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    with database.uow_factory() as uow:
        employee = find_employee(uow.employees, nip)
        superior = superior_nips(uow, [employee]).get(employee.superior_id or 0, "")
    templates = list_faces(database.uow_factory, nip)
    return render(
        request,
        "console/employee.html",
        {
            "employee": employee,
            "superior_nip": superior,
            "templates": templates,
            "offices": _offices(database),
            "unit_nodes": unit_tree(database.uow_factory),
            "outcomes": outcomes,
            "problem": problem,
        },
        status=status,
    )


@router.get("/pegawai/{nip}")
def employee_page(request: Request, nip: str, _: StaffPage, database: DatabaseDep) -> Response:
    try:
        return _employee_page(request, database, nip)
    except HadirError:
        return render(request, "error.html", {"code": "not_found"}, status=404)


@router.post("/pegawai/{nip}")
def employee_update(
    request: Request, nip: str, _: StaffPage, actor: PageActor, form: Form, database: DatabaseDep
) -> Response:
    try:
        update_employee(database.uow_factory, nip, _employee_fields(form), actor=actor)
    except HadirError as exc:
        return _employee_page(
            request, database, nip, problem=problem_text(request, exc), status=422
        )
    return RedirectResponse(f"/admin/pegawai/{nip}?ok=emp.updated", 303)


@router.post("/pegawai/{nip}/status")
def employee_status(
    request: Request, nip: str, _: StaffPage, actor: PageActor, form: Form, database: DatabaseDep
) -> Response:
    """Deactivate (accounts off, tokens and sessions revoked; after a confirm step) or
    reactivate."""
    active = text_field(form, "active") == "1"
    back = f"/admin/pegawai/{nip}"
    if not active and (asked := ask_first(request, form, "confirm.deactivate_emp", back=back)):
        return asked
    set_employee_active(database.uow_factory, nip, active, actor=actor)
    return RedirectResponse(f"/admin/pegawai/{nip}?ok=emp.updated", 303)


@router.post("/pegawai/{nip}/wajah")
async def employee_enrol(
    request: Request,
    nip: str,
    principal: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    engine: EngineDep,
    index: IndexDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """Enrol uploaded (or webcam) photos; the page shows a result per photo."""
    uploads = [u for u in form.getlist("images") if isinstance(u, UploadFile) and u.filename]
    override = text_field(form, "allow_duplicate") == "1"
    if override and principal.role is not Role.ADMIN:
        raise ForbiddenError("Only an admin may enrol a face that matches another employee.")
    try:
        if not uploads:
            raise DomainValidationError("Choose at least one photo.", field="images")
        if len(uploads) > MAX_IMAGES:
            raise DomainValidationError(f"At most {MAX_IMAGES} photos at once.", field="images")
        images = [await read_upload(u, settings.max_image_bytes) for u in uploads]  # type: ignore[arg-type]
        consent = text_field(form, "consent") == "1"
        outcomes = await run_in_threadpool(
            lambda: enrol_faces(
                database.uow_factory,
                engine,
                nip,
                images,
                consent=consent,
                actor=actor,
                clock=clock,
                on_change=index.invalidate,
                override_by=principal.username if override else None,
            )
        )
    except HadirError as exc:
        return _employee_page(
            request, database, nip, problem=problem_text(request, exc), status=422
        )
    accepted = any(o.accepted for o in outcomes)
    response = _employee_page(
        request, database, nip, outcomes=outcomes, status=200 if accepted else 422
    )
    response.headers["Hadir-Enrolled"] = str(sum(o.accepted for o in outcomes))
    return response


@router.post("/pegawai/{nip}/wajah/{template_id}/hapus")
def employee_face_delete(
    request: Request,
    nip: str,
    template_id: int,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    index: IndexDep,
) -> Response:
    back = f"/admin/pegawai/{nip}"
    if (asked := ask_first(request, form, "confirm.delete_face", back=back)) is not None:
        return asked
    delete_face(database.uow_factory, nip, template_id, actor=actor, on_change=index.invalidate)
    return RedirectResponse(f"/admin/pegawai/{nip}?ok=saved", 303)


@router.post("/pegawai/{nip}/wajah/hapus")
def employee_faces_delete(
    request: Request,
    nip: str,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    index: IndexDep,
) -> Response:
    back = f"/admin/pegawai/{nip}"
    if (asked := ask_first(request, form, "confirm.delete_faces", back=back)) is not None:
        return asked
    delete_faces(database.uow_factory, nip, actor=actor, on_change=index.invalidate)
    return RedirectResponse(f"/admin/pegawai/{nip}?ok=saved", 303)
