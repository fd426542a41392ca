"""Console page of the unit tree (agency → bidang → seksi): create, rename, move, set
the head, delete an empty unit, and import units from CSV. Each form calls one service
of ``hadir.services.units`` and shows the tree again (or the refusal)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import DatabaseDep
from hadir.services.container import Database
from hadir.services.units import (
    create_unit,
    delete_unit,
    move_unit,
    rename_unit,
    set_unit_head,
    unit_tree,
)
from hadir.services.units_import import MAX_BYTES, UnitLine, import_units
from hadir.web.deps import Form, PageActor, StaffPage
from hadir.web.forms import optional_text, text_field
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin/unit", include_in_schema=False)


def _page(
    request: Request,
    database: Database,
    *,
    problem: str | None = None,
    lines: list[UnitLine] | None = None,
) -> Response:
    context = {"nodes": unit_tree(database.uow_factory), "problem": problem, "lines": lines}
    return render(request, "console/units.html", context, status=200 if problem is None else 422)


def _done(request: Request, database: Database, work: Callable[[], object]) -> Response:
    try:
        work()
    except HadirError as exc:
        return _page(request, database, problem=problem_text(request, exc))
    return RedirectResponse("/admin/unit", status_code=303)


@router.get("")
def units_page(request: Request, _: StaffPage, database: DatabaseDep) -> Response:
    return _page(request, database)


@router.post("")
def unit_create(
    request: Request, _: StaffPage, actor: PageActor, form: Form, database: DatabaseDep
) -> Response:
    return _done(
        request,
        database,
        lambda: create_unit(
            database.uow_factory,
            text_field(form, "name", max_length=255),
            parent=optional_text(form, "parent", max_length=255),
            head_nip=optional_text(form, "head", max_length=64),
            actor=actor,
        ),
    )


@router.post("/{unit_id}/nama")
def unit_rename(
    request: Request,
    unit_id: int,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    return _done(
        request,
        database,
        lambda: rename_unit(
            database.uow_factory, unit_id, text_field(form, "name", max_length=255), actor=actor
        ),
    )


@router.post("/{unit_id}/pindah")
def unit_move(
    request: Request,
    unit_id: int,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    return _done(
        request,
        database,
        lambda: move_unit(
            database.uow_factory,
            unit_id,
            optional_text(form, "parent", max_length=255),
            actor=actor,
        ),
    )


@router.post("/{unit_id}/kepala")
def unit_head(
    request: Request,
    unit_id: int,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    return _done(
        request,
        database,
        lambda: set_unit_head(
            database.uow_factory, unit_id, optional_text(form, "head", max_length=64), actor=actor
        ),
    )


@router.post("/{unit_id}/hapus")
def unit_delete(
    request: Request, unit_id: int, _: StaffPage, actor: PageActor, _f: Form, database: DatabaseDep
) -> Response:
    return _done(request, database, lambda: delete_unit(database.uow_factory, unit_id, actor=actor))


@router.post("/impor")
async def unit_import(
    request: Request, _: StaffPage, actor: PageActor, form: Form, database: DatabaseDep
) -> Response:
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise DomainValidationError("Choose a .csv file.", field="file")
        data = await upload.read(MAX_BYTES + 1)
        lines = await run_in_threadpool(import_units, database.uow_factory, data, actor=actor)
    except HadirError as exc:
        problem = problem_text(request, exc)
        return await run_in_threadpool(_page, request, database, problem=problem)
    return await run_in_threadpool(_page, request, database, lines=lines)
