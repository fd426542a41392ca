"""The JSON API's routers, mounted on the app by ``hadir.server.create_app``."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from hadir.api.audit import audit_changes
from hadir.api.routes import (
    attendance,
    auth,
    calendar,
    employees,
    enrolment,
    faces,
    health,
    leave,
    liveness,
    privacy,
    reports,
    review,
    schedules,
)


def install_api(app: FastAPI) -> None:
    """The ``/api/v1`` routers and ``/health``."""
    for module in (health, faces, auth, attendance, liveness, reports, privacy):
        app.include_router(module.router)
    # admin changes are audited by one dependency (hadir.api.audit)
    audited = [Depends(audit_changes)]
    for module in (employees, enrolment, review, leave, schedules):
        app.include_router(module.router, dependencies=audited)
    app.include_router(calendar.offices, dependencies=audited)
    app.include_router(calendar.holidays, dependencies=audited)
