"""The managed tree of units and the direct superior, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services.audit import Actor
from hadir.services.employees import create_employee, update_employee
from hadir.services.records import NewEmployee
from hadir.services.units import (
    create_unit,
    delete_unit,
    direct_superior,
    move_unit,
    rename_unit,
    set_unit_head,
    unit_tree,
)

from .conftest import factory_for

HR = Actor("hr")
KADIS = "197001011995031001"
KABID = "198001012005011002"
STAF = "199001012015011003"


def _person(uows: object, nip: str, name: str, unit: str, superior: str | None = None) -> None:
    employee = NewEmployee(employee_id=nip, name=name, unit=unit, employee_type="pns")  # type: ignore[arg-type]
    create_employee(uows, employee, actor=HR, superior_nip=superior)  # type: ignore[arg-type]


def test_tree_create_move_rename_delete(any_db: Engine) -> None:
    uows = factory_for(any_db)
    agency = create_unit(uows, "Dinas Kesehatan", actor=HR)
    bidang = create_unit(uows, "Bidang P2P", parent="Dinas Kesehatan", actor=HR)
    seksi = create_unit(uows, "Seksi Surveilans", parent="Bidang P2P", actor=HR)
    nodes = unit_tree(uows)
    assert [(n.unit.name, n.depth, n.level) for n in nodes] == [
        ("Dinas Kesehatan", 0, "instansi"),
        ("Bidang P2P", 1, "bidang"),
        ("Seksi Surveilans", 2, "seksi"),
    ]
    with pytest.raises(DomainValidationError):  # under its own sub-unit: a cycle
        move_unit(uows, agency.id, "Seksi Surveilans", actor=HR)
    with pytest.raises(ConflictError):
        create_unit(uows, "Bidang P2P", actor=HR)

    _person(uows, STAF, "Staf Satu", "Seksi Surveilans")
    rename_unit(uows, seksi.id, "Seksi Surveilans Epidemiologi", actor=HR)
    with uows() as uow:  # the employees' unit text follows the rename
        assert uow.employees.get_by_employee_id(STAF).unit == "Seksi Surveilans Epidemiologi"
    with pytest.raises(ConflictError):  # staff in it
        delete_unit(uows, seksi.id, actor=HR)
    with pytest.raises(ConflictError):  # sub-units in it
        delete_unit(uows, bidang.id, actor=HR)
    move_unit(uows, seksi.id, None, actor=HR)
    delete_unit(uows, bidang.id, actor=HR)
    assert [(n.unit.name, n.depth, n.staff) for n in unit_tree(uows)] == [
        ("Dinas Kesehatan", 0, 0),
        ("Seksi Surveilans Epidemiologi", 0, 1),
    ]
    with uows() as uow:
        actions = [e.action for e in uow.audit.list(limit=50)]
    for action in ("unit.create", "unit.rename", "unit.move", "unit.delete"):
        assert action in actions


def test_a_new_unit_name_joins_the_tree_at_its_top(any_db: Engine) -> None:
    uows = factory_for(any_db)
    _person(uows, STAF, "Staf Satu", "Sekretariat")
    (node,) = unit_tree(uows)
    assert (node.unit.name, node.depth, node.staff) == ("Sekretariat", 0, 1)


def test_direct_superior_no_cycles_and_unit_head_fallback(any_db: Engine) -> None:
    uows = factory_for(any_db)
    create_unit(uows, "Dinas", actor=HR)
    bidang = create_unit(uows, "Bidang A", parent="Dinas", actor=HR)
    _person(uows, KADIS, "Kepala Dinas", "Dinas")
    _person(uows, KABID, "Kepala Bidang", "Bidang A", superior=KADIS)
    _person(uows, STAF, "Staf", "Bidang A", superior=KABID)
    with pytest.raises(DomainValidationError) as refused:
        update_employee(uows, KADIS, {"superior_id": STAF}, actor=HR)
    assert refused.value.details["field"] == "superior"
    with pytest.raises(DomainValidationError):
        update_employee(uows, KADIS, {"superior_id": KADIS}, actor=HR)

    update_employee(uows, STAF, {"superior_id": None}, actor=HR)
    with uows() as uow:  # no superior on the record, no head: none
        assert direct_superior(uow, uow.employees.get_by_employee_id(STAF)) is None
    set_unit_head(uows, bidang.id, KABID, actor=HR)
    with uows() as uow:
        staff = uow.employees.get_by_employee_id(STAF)
        head = direct_superior(uow, staff)
        assert head is not None and head.employee_id == KABID
        # the head of Bidang A is not their own superior: their record names the kadis
        kabid = direct_superior(uow, uow.employees.get_by_employee_id(KABID))
        assert kabid is not None and kabid.employee_id == KADIS
    node = next(n for n in unit_tree(uows) if n.unit.id == bidang.id)
    assert node.head is not None and node.head.employee_id == KABID
