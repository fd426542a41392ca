"""The unit tree (agency → bidang → seksi) over the API: the same use cases as the
console's unit page (``hadir.services.units``), so both doors validate and audit alike.
Staff write; staff and supervisors read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from hadir.api.deps import ActorDep, DatabaseDep, ReaderDep, StaffDep
from hadir.api.schemas.units import UnitImportLine, UnitIn, UnitPatch, UnitPublic
from hadir.domain.errors import NotFoundError
from hadir.services import units as service
from hadir.services.ports import UowFactory
from hadir.services.units_import import MAX_BYTES, import_units

router = APIRouter(prefix="/api/v1/units", tags=["units"])


def _node(uows: UowFactory, unit_id: int) -> UnitPublic:
    for node in service.unit_tree(uows):
        if node.unit.id == unit_id:
            return UnitPublic.of(node)
    raise NotFoundError(f"unit {unit_id} does not exist")


@router.get("", response_model=list[UnitPublic])
def list_units(database: DatabaseDep, _: ReaderDep) -> list[UnitPublic]:
    """Every unit, depth-first (parents before children), with its head and staff count."""
    return [UnitPublic.of(node) for node in service.unit_tree(database.uow_factory)]


@router.post("", response_model=UnitPublic, status_code=201)
def create_unit(body: UnitIn, database: DatabaseDep, _: StaffDep, actor: ActorDep) -> UnitPublic:
    """A new unit under ``parent`` (by name); 409 if the name is taken, 404 for an
    unknown parent, 422 for an unknown head."""
    record = service.create_unit(
        database.uow_factory, body.name, parent=body.parent, head_nip=body.head, actor=actor
    )
    return _node(database.uow_factory, record.id)


@router.get("/{unit_id}", response_model=UnitPublic)
def get_unit(unit_id: int, database: DatabaseDep, _: ReaderDep) -> UnitPublic:
    return _node(database.uow_factory, unit_id)


@router.patch("/{unit_id}", response_model=UnitPublic)
def update_unit(
    unit_id: int, body: UnitPatch, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> UnitPublic:
    """Rename, move (``parent: null``: to the top) and set or clear the head, all in one
    transaction; a rename renames the unit on its staff, accounts and schedules too."""
    service.update_unit(database.uow_factory, unit_id, body.to_change(), actor=actor)
    return _node(database.uow_factory, unit_id)


@router.delete("/{unit_id}", status_code=204)
def delete_unit(unit_id: int, database: DatabaseDep, _: StaffDep, actor: ActorDep) -> Response:
    """Delete an empty unit; 409 while it has sub-units or staff."""
    service.delete_unit(database.uow_factory, unit_id, actor=actor)
    return Response(status_code=204)


@router.post("/import", response_model=list[UnitImportLine])
async def import_csv(
    file: Annotated[UploadFile, File(description="CSV: unit, parent, head (NIP)")],
    database: DatabaseDep,
    _: StaffDep,
    actor: ActorDep,
) -> list[UnitImportLine]:
    """Import units from CSV, a result per line (``created``, ``updated``,
    ``unchanged`` or ``refused`` with the reason); 422 for a file over 2 MB."""
    data = await file.read(MAX_BYTES + 1)
    lines = await run_in_threadpool(import_units, database.uow_factory, data, actor=actor)
    return [UnitImportLine.of(line) for line in lines]
