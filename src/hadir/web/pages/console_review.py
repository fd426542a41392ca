"""The console's pages of doubtful and refused attempts with what a reviewer needs (photo,
reason in words, time, place, distance from the office), the review decision, and the
audited photo itself."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import DEFAULT_TIMEZONE, Decision, local_date_of
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep, SecurityDep, own_unit
from hadir.services.attempts import attempt_facts, open_photo
from hadir.services.auth import Principal
from hadir.services.container import Database
from hadir.services.dashboard import event_log
from hadir.services.records import EventFilter, Role
from hadir.services.review import review_event, review_queue
from hadir.web.deps import ConsolePage, Form, PageActor, StaffPage
from hadir.web.forms import text_field
from hadir.web.pages.console_people import problem_text
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
    _: StaffPage,
    actor: PageActor,
    database: DatabaseDep,
    security: SecurityDep,
) -> Response:
    """The kept photo of a doubtful or refused attempt (each view is audited)."""
    photo = open_photo(database.uow_factory, security.evidence, event_id, actor=actor)
    return Response(
        photo,
        media_type="image/jpeg",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/ditolak")
def refused_page(
    request: Request,
    principal: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
) -> Response:
    """Refused attempts (with their reasons), the last seven days by default."""
    today = local_date_of(clock(), DEFAULT_TIMEZONE)
    return refused_view(
        request,
        principal,
        database,
        unit=own_unit(principal, None),
        first=date_from or today - timedelta(days=6),
        last=date_to or today,
    )


@router.get("/pemeriksaan")
def review_page(request: Request, principal: ConsolePage, database: DatabaseDep) -> Response:
    return review_view(request, principal, database, own_unit(principal, None))


@router.post("/pemeriksaan/{event_id}")
def review_decide(
    request: Request,
    event_id: int,
    principal: ConsolePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    """Approve or reject an event that needs review, with a note (required to reject)."""
    try:
        verdict = Decision(text_field(form, "verdict"))
        note = text_field(form, "note", max_length=500)
        if verdict is Decision.REJECTED and not note:
            raise DomainValidationError("Give a reason to reject.", field="note")
        review_event(
            database.uow_factory,
            event_id,
            verdict,
            reviewer_id=principal.user_id,
            actor=actor,
            note=note,
            unit=own_unit(principal, None),
        )
    except (HadirError, ValueError) as exc:
        error = exc if isinstance(exc, HadirError) else DomainValidationError(str(exc))
        return review_view(
            request,
            principal,
            database,
            own_unit(principal, None),
            {"problem": problem_text(request, error)},
            status=422,
        )
    return RedirectResponse("/admin/pemeriksaan?ok=review.done", 303)
