"""Face enrolment of an employee: upload photos, list and delete templates. Staff only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from hadir.api.deps import (
    ClockDep,
    DatabaseDep,
    EngineDep,
    IndexDep,
    SettingsDep,
    StaffDep,
    read_upload,
)
from hadir.api.schemas.employees import (
    EnrolmentPublic,
    EnrolmentResult,
    FacesDeleted,
    FaceTemplatePublic,
)
from hadir.domain.errors import ErrorCode
from hadir.http.errors import error_body
from hadir.services.enrolment import delete_face, delete_faces, enrol_faces, list_faces
from hadir.services.errors import ForbiddenError
from hadir.services.records import Role

router = APIRouter(prefix="/api/v1/employees/{employee_id}/faces", tags=["faces"])

MAX_IMAGES = 10
ALLOW_DUPLICATE = (
    "admins only: enrol even if the face matches another employee (e.g. identical twins); "
    "written to the audit trail"
)


@router.post(
    "",
    response_model=EnrolmentPublic,
    status_code=201,
    responses={422: {"description": "No photo was accepted (a result per photo)"}},
)
async def enrol(
    employee_id: str,
    database: DatabaseDep,
    engine: EngineDep,
    index: IndexDep,
    settings: SettingsDep,
    clock: ClockDep,
    principal: StaffDep,
    images: Annotated[list[UploadFile], File(description="one or more face photos")],
    consent: Annotated[bool, Form(description="the employee consents to enrolment")] = False,
    allow_duplicate: Annotated[bool, Form(description=ALLOW_DUPLICATE)] = False,
) -> EnrolmentPublic | JSONResponse:
    """Enrol photos; a result per photo. 201 if any was accepted, else 422 with results.

    Each photo must match the employee's own faces (else ``face_inconsistent``) and must
    not match another employee's (else ``face_matches_other_employee``, with the other
    NIP in ``other_employee_id``)."""
    if allow_duplicate and principal.role is not Role.ADMIN:
        raise ForbiddenError("Only an admin may enrol a face that matches another employee.")
    if len(images) > MAX_IMAGES:
        return JSONResponse(
            error_body(
                ErrorCode.VALIDATION_ERROR.value, f"Send at most {MAX_IMAGES} photos at once."
            ),
            status_code=422,
        )
    data = [await read_upload(upload, settings.max_image_bytes) for upload in images]
    outcomes = await run_in_threadpool(
        lambda: enrol_faces(
            database.uow_factory(),
            engine,
            employee_id,
            data,
            consent=consent,
            clock=clock,
            on_change=index.invalidate,
            override_by=principal.username if allow_duplicate else None,
        )
    )
    body = EnrolmentPublic(
        employee_id=employee_id,
        accepted=sum(1 for o in outcomes if o.accepted),
        results=[EnrolmentResult.of(o) for o in outcomes],
    )
    if body.accepted:
        return body
    first = next((r.error for r in body.results if r.error is not None), None)
    refusal = error_body(
        first.code if first else ErrorCode.VALIDATION_ERROR.value,
        "No photo was accepted; see the result of each photo.",
    )
    return JSONResponse({**refusal, **body.model_dump(mode="json")}, status_code=422)


@router.get("", response_model=list[FaceTemplatePublic])
def get_faces(employee_id: str, database: DatabaseDep, _: StaffDep) -> list[FaceTemplatePublic]:
    """The employee's enrolled templates (never the photos, which are not stored)."""
    return [FaceTemplatePublic.of(t) for t in list_faces(database.uow_factory(), employee_id)]


@router.delete("/{template_id}", response_model=FacesDeleted)
def remove_face(
    employee_id: str, template_id: int, database: DatabaseDep, index: IndexDep, _: StaffDep
) -> FacesDeleted:
    """Delete one template of the employee (404 if it is not theirs)."""
    delete_face(database.uow_factory(), employee_id, template_id, on_change=index.invalidate)
    return FacesDeleted(employee_id=employee_id, deleted=1)


@router.delete("", response_model=FacesDeleted)
def remove_faces(
    employee_id: str, database: DatabaseDep, index: IndexDep, _: StaffDep
) -> FacesDeleted:
    """Delete every template of the employee (e.g. consent withdrawn)."""
    removed = delete_faces(database.uow_factory(), employee_id, on_change=index.invalidate)
    return FacesDeleted(employee_id=employee_id, deleted=removed)
