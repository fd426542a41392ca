"""The console's views of doubtful and refused attempts with what a reviewer needs (photo,
reason in words, time, place, distance from the office), and the audited photo itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hadir.domain.attendance import Decision
from hadir.http.deps import DatabaseDep, SecurityDep
from hadir.services.attempts import attempt_facts, open_photo
from hadir.services.auth import Principal
from hadir.services.container import Database
from hadir.services.dashboard import event_log
from hadir.services.records import EventFilter, Role
from hadir.services.review import review_queue
from hadir.web.deps import StaffPage
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)

LIMIT = 200


def sees_photos(principal: Principal) -> bool:
    """Photos are for HR and admins only (not supervisors)."""
    return principal.role in (Role.ADMIN, Role.OPERATOR)


def review_view(
    request: Request,
    principal: Principal,
    database: Database,
    unit: str | None,
    extra: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> Response:
    """The review queue as cards."""
    with database.uow_factory() as uow:
        items = review_queue(uow, unit=unit, limit=LIMIT)
    facts = attempt_facts(database.uow_factory(), [(i.event, i.employee) for i in items])
    context = {"items": facts, "photos": sees_photos(principal), **(extra or {})}
    return render(request, "console/review.html", context, status=status)


def refused_view(
    request: Request,
    principal: Principal,
    database: Database,
    *,
    unit: str | None,
    first: date,
    last: date,
) -> Response:
    """Refused attempts as cards, newest first."""
    criteria = EventFilter.for_days(first, last, unit=unit, decision=Decision.REJECTED, limit=LIMIT)
    entries = event_log(database.uow_factory(), criteria)
    facts = attempt_facts(database.uow_factory(), [(e.event, e.employee) for e in entries])
    return render(
        request,
        "console/refused.html",
        {"items": facts, "photos": sees_photos(principal), "first": first, "last": last},
    )


@router.get("/foto/{event_id}")
def attempt_photo(
    request: Request,
    event_id: int,
    principal: StaffPage,
    database: DatabaseDep,
    security: SecurityDep,
) -> Response:
    """The kept photo of a doubtful or refused attempt (each view is audited)."""
    photo = open_photo(
        database.uow_factory(),
        security.evidence,
        event_id,
        actor=principal.username,
        ip=request.client.host if request.client else None,
    )
    return Response(
        photo,
        media_type="image/jpeg",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )
