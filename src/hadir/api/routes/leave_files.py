"""The document of a leave request (a doctor's note): attach and download.

The employee attaches to their own leave, HR to any; the employee, their direct
superior, the supervisor of their unit and HR download it. Every download is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Response, UploadFile

from hadir.api.deps import ActorDep, DatabaseDep, require
from hadir.api.schemas.leave import AttachmentPublic
from hadir.http.deps import LeaveVaultDep
from hadir.services import leave_files as service
from hadir.services.auth import Principal
from hadir.services.records import Role

router = APIRouter(prefix="/api/v1/leave", tags=["leave"])

AttacherDep = Annotated[Principal, Depends(require(Role.OPERATOR, Role.EMPLOYEE))]
ViewerDep = Annotated[Principal, Depends(require(Role.OPERATOR, Role.SUPERVISOR, Role.EMPLOYEE))]


@router.post("/{leave_id}/attachment", response_model=AttachmentPublic, status_code=201)
async def attach(
    leave_id: int,
    file: Annotated[UploadFile, File(description="the document: PDF, JPEG or PNG")],
    database: DatabaseDep,
    principal: AttacherDep,
    actor: ActorDep,
    vault: LeaveVaultDep,
) -> AttachmentPublic:
    """Attach the document of a leave (one per leave; 409 for a second). Refused with 413
    ``attachment_too_large`` over ``HADIR_LEAVE_ATTACHMENT_MAX_BYTES`` and 415
    ``attachment_type_unsupported`` unless its bytes are a PDF, JPEG or PNG."""
    data = await file.read(vault.max_bytes + 1)
    info = service.attach_leave_file(
        database.uow_factory, vault, leave_id, data, principal=principal, actor=actor
    )
    return AttachmentPublic.of(info)


@router.get(
    "/{leave_id}/attachment",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}},
)
def download(
    leave_id: int,
    database: DatabaseDep,
    principal: ViewerDep,
    actor: ActorDep,
    vault: LeaveVaultDep,
) -> Response:
    """The document of a leave, decrypted, for the employee, their direct superior, the
    supervisor of their unit or HR (403 otherwise; 404 when there is none)."""
    opened = service.open_leave_file(
        database.uow_factory, vault, leave_id, principal=principal, actor=actor
    )
    return Response(
        opened.data,
        media_type=opened.info.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{opened.info.filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
