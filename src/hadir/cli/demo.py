"""``hadir demo``: a demo office with a few employees enrolled from the dev faces, a kiosk
token and some check-ins from held-back photos, so the reports show real data.

Idempotent: employees and the office are found by their codes, an employee with templates
is not enrolled again, and check-ins carry a fixed ``client_request_id`` (a rerun is
answered with the stored event).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from hadir.cli.common import database, errors, settings, with_progress, with_status
from hadir.domain.errors import HadirError

if TYPE_CHECKING:
    from hadir.cli.common import Progress
    from hadir.services.audit import Actor
    from hadir.services.ports import FaceAnalyser, UowFactory

OFFICE_CODE, OFFICE_NAME = "DEMO", "Kantor Demo Hadir"
PEOPLE = (
    ("DEMO0001", "Serena_Williams", "Sekretariat", "Kepala Bagian Umum"),
    ("DEMO0002", "Ariel_Sharon", "Keuangan", "Bendahara"),
    ("DEMO0003", "John_Ashcroft", "Kepegawaian", "Analis SDM"),
    ("DEMO0004", "Junichiro_Koizumi", "Perencanaan", "Perencana Ahli Muda"),
    ("DEMO0005", "Alvaro_Uribe", "Sekretariat", "Pengadministrasi Umum"),
)
ENROL_PHOTOS = 4
CHECK_DAYS = 3
JAKARTA = "Asia/Jakarta"


@dataclass
class DemoSummary:
    employees_created: int = 0
    templates_added: int = 0
    photos_refused: list[str] = field(default_factory=list)
    checks_recorded: int = 0
    checks_replayed: int = 0
    checks_refused: list[str] = field(default_factory=list)
    missing_people: list[str] = field(default_factory=list)


def register(app: typer.Typer) -> None:
    app.command()(demo)


def _photos(faces: Path, person: str) -> list[Path]:
    folder = faces / person
    return sorted(folder.glob("*.jpg")) if folder.is_dir() else []


def _past_weekdays(today: date, count: int) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(JAKARTA)).astimezone(UTC)


def _usable(engine: FaceAnalyser, photos: list[Path]) -> list[Path]:
    """Up to ``CHECK_DAYS`` of ``photos`` that pass the quality gates for a check-in."""
    from hadir.face.pipeline import Purpose

    usable: list[Path] = []
    for photo in photos:
        if len(usable) >= CHECK_DAYS:
            break
        try:
            engine.analyse(photo.read_bytes(), Purpose.VERIFY)
        except HadirError:
            continue
        usable.append(photo)
    return usable


def _fixed(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _seed_people(uows: UowFactory, summary: DemoSummary, actor: Actor) -> None:
    """The demo office and its people, through the same use cases (and audit entries) as
    the console."""
    from hadir.services.calendar import create_office
    from hadir.services.employees import create_employee
    from hadir.services.records import NewEmployee

    with uows() as uow:
        offices = {o.code: o for o in uow.offices.list()}
        known = {e.employee_id for e in uow.employees.list()}
    office = offices.get(OFFICE_CODE) or create_office(
        uows, OFFICE_CODE, OFFICE_NAME, actor=actor, timezone=JAKARTA
    )
    for nip, person, unit, position in PEOPLE:
        if nip in known:
            continue
        name = person.replace("_", " ")
        employee = NewEmployee(nip, name, unit=unit, position=position, office_id=office.id)
        create_employee(uows, employee, actor=actor)
        summary.employees_created += 1


def _enrol(
    uows: UowFactory,
    engine: FaceAnalyser,
    nip: str,
    photos: list[Path],
    s: DemoSummary,
    actor: Actor,
) -> list[Path]:
    """Enrol up to ``ENROL_PHOTOS`` good photos; the photos left over (held back)."""
    from hadir.services.enrolment import enrol_faces, sha256_of

    with uows() as uow:
        employee = uow.employees.get_by_employee_id(nip)
        enrolled = {t.image_sha256 for t in uow.templates.list_for(employee.id)}

    used = 0
    rest: list[Path] = []
    for photo in photos:
        data = photo.read_bytes()
        if used >= ENROL_PHOTOS:
            rest.append(photo)
        elif sha256_of(data) in enrolled:
            used += 1
        else:
            outcome = enrol_faces(uows, engine, nip, [data], consent=True, actor=actor)[0]
            if outcome.accepted:
                used += 1
                s.templates_added += 1
            else:
                code = outcome.error_code.value if outcome.error_code else "refused"
                s.photos_refused.append(f"{photo.name}: {code}")
    return rest


def run_demo(
    uow_factory: UowFactory,
    engine: FaceAnalyser,
    faces: Path,
    today: date,
    progress: Progress | None,
    actor: Actor,
) -> DemoSummary:
    from hadir.domain.attendance import AttendanceKind
    from hadir.services.checkguard import CheckPolicy
    from hadir.services.checkin import CheckRequest, check
    from hadir.services.index import TemplateIndexProvider

    # the demo's history reuses each held-back photo on several days: not a replay
    synthetic = CheckPolicy(replay=False)
    summary = DemoSummary()
    _seed_people(uow_factory, summary, actor)
    index = TemplateIndexProvider(uow_factory)
    days = _past_weekdays(today, CHECK_DAYS)
    for number, (nip, person, _unit, _position) in enumerate(PEOPLE):
        photos = _photos(faces, person)
        if len(photos) < ENROL_PHOTOS + 1:
            summary.missing_people.append(person)
            continue
        held_back = _usable(engine, _enrol(uow_factory, engine, nip, photos, summary, actor))
        if not held_back:
            summary.missing_people.append(person)
            continue
        for offset, day in enumerate(days):
            photo = held_back[offset % len(held_back)]
            arrive = _at(day, time(7, 30)) + timedelta(minutes=(number * 13 + offset * 17) % 45)
            leave = _at(day, time(16, 0)) + timedelta(minutes=(number * 7 + offset * 11) % 40)
            for kind, at in ((AttendanceKind.CHECK_IN, arrive), (AttendanceKind.CHECK_OUT, leave)):
                request = CheckRequest(
                    kind=kind,
                    image=photo.read_bytes(),
                    employee_id=nip,
                    client_request_id=f"demo-{nip}-{day.isoformat()}-{kind.value}",
                    device="demo",
                )
                try:
                    result = check(
                        uow_factory, engine, index, request, clock=_fixed(at), policy=synthetic
                    )
                except HadirError as exc:
                    summary.checks_refused.append(f"{nip} {day} {kind.value}: {exc.code.value}")
                    continue
                if result.replayed:
                    summary.checks_replayed += 1
                else:
                    summary.checks_recorded += 1
        if progress:
            progress(number + 1, len(PEOPLE))
    return summary


def demo() -> None:
    """Seed a demo office from HADIR_FACES_DIR: employees, faces, check-ins, a kiosk token.

    Five employees are enrolled from the dev faces, the photos held back are used for
    check-ins on the last three weekdays, and a kiosk token is printed. Safe to rerun.
    """
    from hadir.bootstrap import build_face_engine
    from hadir.services.accounts import create_kiosk_token
    from hadir.services.audit import Actor
    from hadir.services.holidays import sync_national_holidays

    config = settings()
    faces = config.faces_dir
    now = datetime.now(UTC)
    actor = Actor.cli()
    with errors(), database(config) as db:
        engine = with_status("loading the face engine", lambda: build_face_engine(config))
        today = now.astimezone(ZoneInfo(JAKARTA)).date()
        summary = with_progress(
            lambda p: run_demo(db.uow_factory, engine, faces, today, p, actor), "seeding the demo"
        )
        try:
            sync_national_holidays(db.uow_factory, today.year, actor=actor)
        except HadirError as exc:  # the demo works without holidays
            typer.echo(f"holidays not synced: {exc.message}", err=True)
        issued = create_kiosk_token(db.uow_factory, "demo-kiosk", now=now, actor=actor)
    typer.echo(
        f"demo office {OFFICE_CODE}: employees created {summary.employees_created}, "
        f"templates added {summary.templates_added}, check-ins recorded "
        f"{summary.checks_recorded} (already there {summary.checks_replayed})"
    )
    for line in summary.photos_refused:
        typer.echo(f"  photo refused {line}")
    for line in summary.checks_refused:
        typer.echo(f"  check refused {line}")
    if summary.missing_people:
        typer.echo(f"  not enough photos in {faces} for: {', '.join(summary.missing_people)}")
    typer.echo(f"kiosk token {issued.token}")
