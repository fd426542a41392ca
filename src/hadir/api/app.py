"""The JSON API's routers, mounted on the app by ``hadir.server.create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from hadir.api.routes import (
    attendance,
    auth,
    calendar,
    corrections,
    employees,
    enrolment,
    faces,
    health,
    leave,
    leave_files,
    liveness,
    privacy,
    reports,
    review,
    schedules,
    shifts,
    units,
)


def install_api(app: FastAPI) -> None:
    """The ``/api/v1`` routers and ``/health``."""
    for module in (health, faces, auth, attendance, liveness, reports, privacy):
        app.include_router(module.router)
    # every change is audited by its use case, in the change's own transaction
    for module in (
        employees,
        enrolment,
        review,
        leave,
        leave_files,
        schedules,
        shifts,
        corrections,
        units,
    ):
        app.include_router(module.router)
    app.include_router(calendar.offices)
    app.include_router(calendar.holidays)
