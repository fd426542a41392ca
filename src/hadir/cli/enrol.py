"""Enrolment from the command line: photos of one employee, or a folder per employee."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hadir.cli.common import (
    Progress,
    container,
    database,
    errors,
    settings,
    with_progress,
)
from hadir.domain.errors import HadirError, NotFoundError

if TYPE_CHECKING:
    from hadir.services.audit import Actor
    from hadir.services.enrolment import EnrolmentOutcome
    from hadir.services.ports import FaceAnalyser, UowFactory

CONSENT_HELP = (
    "the employee's consent to store face templates; by default the operator running this "
    "command declares it was given (use --no-consent if it was recorded earlier)"
)


def register(app: typer.Typer) -> None:
    app.command()(enroll)
    app.command("enroll-dir")(enroll_dir)


def _describe(outcome: EnrolmentOutcome) -> str:
    if outcome.accepted and outcome.quality is not None:
        q = outcome.quality
        return (
            f"accepted (template {outcome.template_id}, face {q.face_size_px:.0f}px, "
            f"sharpness {q.sharpness:.3g}, brightness {q.brightness:.0f}, yaw {q.yaw:.0f})"
        )
    if outcome.accepted:
        return f"accepted (template {outcome.template_id})"
    code = outcome.error_code.value if outcome.error_code else "refused"
    return f"refused {code}: {outcome.message}"


def enroll(
    employee_id: Annotated[str, typer.Argument(help="the employee's NIP")],
    images: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="photos")],
    consent: Annotated[bool, typer.Option("--consent/--no-consent", help=CONSENT_HELP)] = True,
) -> None:
    """Enrol an employee's face from photos: a line per photo; exit 1 if none accepted."""
    from hadir.services.audit import Actor
    from hadir.services.enrolment import enrol_faces, find_employee, require_active

    config = settings()
    with errors(), database(config) as db:
        with db.uow_factory() as uow:  # fail fast, before loading the models
            require_active(find_employee(uow.employees, employee_id))
        outcomes = enrol_faces(
            db.uow_factory,
            container(config, db).face_engine,
            employee_id,
            [p.read_bytes() for p in images],
            consent=consent,
            actor=Actor.cli(),
        )
    for outcome in outcomes:
        typer.echo(f"{images[outcome.position]}: {_describe(outcome)}")
    accepted = sum(1 for o in outcomes if o.accepted)
    typer.echo(f"{accepted} of {len(images)} photo(s) accepted for {employee_id}")
    if not accepted:
        raise typer.Exit(code=1)


@dataclass
class FolderSummary:
    employees: int = 0
    created: list[str] = field(default_factory=list)
    accepted: int = 0
    failures: list[str] = field(default_factory=list)


def _photos(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _ensure_employee(uows: UowFactory, nip: str, create: bool, actor: Actor) -> str:
    """``"exists"``, ``"inactive"``, ``"created"`` (with ``create``) or ``"missing"``."""
    from hadir.services.employees import create_employee
    from hadir.services.records import NewEmployee

    with uows() as uow:
        try:
            return "exists" if uow.employees.get_by_employee_id(nip).active else "inactive"
        except NotFoundError:
            if not create:
                return "missing"
    create_employee(uows, NewEmployee(employee_id=nip, name=nip), actor=actor)
    return "created"


def enrol_folders(
    uows: UowFactory,
    engine: FaceAnalyser,
    folders: list[Path],
    *,
    consent: bool,
    create_missing: bool,
    progress: Progress | None,
    actor: Actor,
) -> FolderSummary:
    from hadir.services.enrolment import enrol_faces

    summary = FolderSummary()
    plan = [(folder, _photos(folder)) for folder in folders]
    total = sum(len(photos) for _, photos in plan)
    done = 0
    for folder, photos in plan:
        nip = folder.name
        if not photos:
            summary.failures.append(f"{nip}/: no photos")
            continue
        state = _ensure_employee(uows, nip, create_missing, actor)
        if state == "created":
            summary.created.append(nip)
        if state in ("missing", "inactive"):
            reason = (
                "unknown_employee: no employee with this NIP (see --create-missing)"
                if state == "missing"
                else "conflict: the employee is inactive"
            )
            summary.failures.append(f"{nip}/: {reason}")
            done += len(photos)
            if progress:
                progress(done, total)
            continue
        summary.employees += 1
        for photo in photos:
            try:
                data = photo.read_bytes()
                outcome = enrol_faces(uows, engine, nip, [data], consent=consent, actor=actor)[0]
            except (HadirError, OSError) as exc:
                reason = exc.message if isinstance(exc, HadirError) else str(exc)
                code = exc.code.value if isinstance(exc, HadirError) else "unreadable"
                summary.failures.append(f"{nip}/{photo.name}: {code}: {reason}")
            else:
                if outcome.accepted:
                    summary.accepted += 1
                else:
                    code = outcome.error_code.value if outcome.error_code else "refused"
                    summary.failures.append(f"{nip}/{photo.name}: {code}: {outcome.message}")
            done += 1
            if progress:
                progress(done, total)
    return summary


def enroll_dir(
    directory: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="a sub-folder per NIP")
    ],
    consent: Annotated[bool, typer.Option("--consent/--no-consent", help=CONSENT_HELP)] = True,
    create_missing: Annotated[
        bool, typer.Option(help="create unknown employees (folder name as NIP and name)")
    ] = False,
) -> None:
    """Enrol every employee from DIR/<employee_id>/*.jpg; a summary of failures at the end."""
    from hadir.services.audit import Actor

    folders = sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith("."))
    config = settings()
    with errors(), database(config) as db:
        engine = container(config, db).face_engine
        summary = with_progress(
            lambda progress: enrol_folders(
                db.uow_factory,
                engine,
                folders,
                consent=consent,
                create_missing=create_missing,
                progress=progress,
                actor=Actor.cli(),
            ),
            "enrolling",
        )
    typer.echo(
        f"folders {len(folders)}, employees enrolled {summary.employees}, "
        f"photos accepted {summary.accepted}, failures {len(summary.failures)}"
    )
    if summary.created:
        typer.echo(f"created employees: {', '.join(summary.created)}")
    for failure in summary.failures:
        typer.echo(f"  {failure}")
    if not summary.accepted:
        raise typer.Exit(code=1)
