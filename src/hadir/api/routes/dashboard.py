"""The dashboard as JSON: the same read as the console's first page (``dashboard``).
Staff see the agency or one unit; supervisors their own unit only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hadir.api.deps import ClockDep, DatabaseDep, PastDaysDep, ReaderDep, own_unit
from hadir.api.schemas.dashboard import DashboardPublic
from hadir.services.dashboard import dashboard

router = APIRouter(prefix="/api/v1", tags=["dashboard"])


@router.get("/dashboard", response_model=DashboardPublic)
def read_dashboard(
    database: DatabaseDep,
    principal: ReaderDep,
    clock: ClockDep,
    past: PastDaysDep,
    unit: Annotated[str | None, Query(max_length=255)] = None,
) -> DashboardPublic:
    """Today's status counts (computed on each call: a check-in shows at once), per unit,
    the last seven days and the review queue's length."""
    unit = own_unit(principal, unit)
    data = dashboard(database.uow_factory, unit=unit, clock=clock, past=past)
    return DashboardPublic.of(data, unit)
