"""How far a new installation is set up: the console's first-run checklist."""

from __future__ import annotations

from dataclasses import dataclass

from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import Role

LOOK_AT = 200
"""Employees looked at for an enrolled face (enough to say "some are enrolled")."""


@dataclass(frozen=True)
class SetupProgress:
    office: bool
    schedule: bool
    employees: bool
    faces: bool
    kiosk: bool

    @property
    def done(self) -> bool:
        return self.office and self.schedule and self.employees and self.faces and self.kiosk


def setup_progress(uow: AbstractUnitOfWork) -> SetupProgress:
    """Which first steps are done: an office, a saved schedule, employees, enrolled faces
    and a kiosk (its device account)."""
    with uow:
        people = uow.employees.list(limit=LOOK_AT)
        return SetupProgress(
            office=bool(uow.offices.list()),
            schedule=bool(uow.schedules.list()),
            employees=bool(people),
            faces=any(uow.templates.list_for(e.id) for e in people),
            kiosk=any(u.role is Role.KIOSK for u in uow.users.list()),
        )
