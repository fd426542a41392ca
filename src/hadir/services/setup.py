"""How far a new installation is set up: the console's first-run checklist."""

from __future__ import annotations

from dataclasses import dataclass

from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import Role


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
        return SetupProgress(  # each an existence check: the dashboard shows it every time
            office=bool(uow.offices.list()),
            schedule=bool(uow.schedules.list()),
            employees=bool(uow.employees.list(limit=1)),
            faces=uow.templates.any(),
            kiosk=any(u.role is Role.KIOSK for u in uow.users.list()),
        )
