"""Security and personal data: audit verify/list, purge, erase biometrics, unlock."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from hadir.cli.common import container, database, errors, settings


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
    audit_app.command("verify")(audit_verify)
    audit_app.command("checkpoint")(audit_checkpoint)
    audit_app.command("list")(audit_list)
    audit_app.command("faces")(audit_faces)
    app.add_typer(audit_app, name="audit")
    app.command("purge")(purge)
    app.command("erase-biometrics")(erase_biometrics)
    app.command("unlock")(unlock_user)


def audit_verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(dir_okay=False, help="also check a file from 'hadir audit checkpoint'"),
    ] = None,
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="hash only the entries appended since the last intact run (frequent checks;"
            " an old entry edited in place is found by the full run)",
        ),
    ] = False,
) -> None:
    """Check the audit chain: exit 0 when intact; exit 1 naming the first altered or
    missing entry (deleting the newest entries is caught by the anchored head, and with
    ``--checkpoint`` also after the head row was rewritten). ``--incremental`` hashes only
    the entries appended since the last intact run (and checks the rest by count and by
    its last hash): for hourly checks of years of entries, beside a full run at night."""
    from hadir.bootstrap import load_secret_key
    from hadir.services import audit

    config = settings()
    with errors(), database(config) as db:
        bad = audit.verify_and_mark(db.uow_factory, full=not incremental)
        with db.uow_factory() as uow:
            total = uow.audit.count()
        problem = None
        if checkpoint is not None:
            mark = audit.Checkpoint.from_json(checkpoint.read_text(encoding="utf-8"))
            problem = audit.check_checkpoint(db.uow_factory(), mark, load_secret_key(config))
    if bad is not None:
        typer.echo(f"audit chain BROKEN at entry {bad} ({total} entries)", err=True)
        raise typer.Exit(code=1)
    if problem is not None:
        typer.echo(f"audit chain NOT INTACT against {checkpoint}: {problem}", err=True)
        raise typer.Exit(code=1)
    against = "" if checkpoint is None else f", contains checkpoint {checkpoint}"
    typer.echo(f"audit chain intact ({total} entries{against})")


def audit_checkpoint(
    out: Annotated[Path, typer.Option(dir_okay=False, help="where to write the checkpoint")],
) -> None:
    """Write a signed checkpoint of the audit chain's head (HMAC with the server's secret
    key); keep it somewhere else and check it later with 'hadir audit verify --checkpoint'."""
    from hadir.bootstrap import load_secret_key
    from hadir.services import audit

    config = settings()
    with errors(), database(config) as db:
        mark = audit.make_checkpoint(
            db.uow_factory(), load_secret_key(config), now=datetime.now(UTC)
        )
    out.write_text(mark.to_json(), encoding="utf-8")
    typer.echo(f"checkpoint {out}: {mark.entries} entries, newest {mark.head_id}")


def audit_list(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="how many, newest first")] = 20,
) -> None:
    """Print the newest audit entries."""
    from hadir.services import audit

    with errors(), database(settings()) as db, db.uow_factory() as uow:
        page = audit.page(uow, limit=limit)
    for r in page.items:
        typer.echo(f"{r.id}\t{r.at.isoformat()}\t{r.actor}\t{r.action}\t{r.target or ''}")


def audit_faces(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object on stdout")] = False,
) -> None:
    """Pairs of different employees whose face templates match (one person behind two
    NIPs); exit 1 when there is any."""
    from hadir.services.facecheck import duplicate_report

    config = settings()
    with errors(), database(config) as db:
        report = duplicate_report(db.uow_factory(), container(config, db).face_engine)
    if as_json:
        typer.echo(json.dumps(asdict(report)))
    else:
        typer.echo(
            f"{len(report.pairs)} pair(s) of employees with matching faces among "
            f"{report.templates} templates (threshold {report.threshold:.4f})"
        )
        for p in report.pairs:
            both = ((p.employee_id, p.active), (p.other_employee_id, p.other_active))
            inactive = [nip for nip, active in both if not active]
            note = f"  inactive: {', '.join(inactive)}" if inactive else ""
            typer.echo(
                f"{p.employee_id} ({p.name})\t{p.other_employee_id} ({p.other_name})\t"
                f"similarity {p.similarity:.4f}{note}"
            )
    if report.pairs:
        raise typer.Exit(code=1)


def purge() -> None:
    """Remove evidence photos past retention, expired nonces and old refused-attempt details."""
    from hadir.services import privacy
    from hadir.services.audit import Actor

    config = settings()
    with errors(), database(config) as db:
        done = privacy.purge(
            db.uow_factory,
            now=datetime.now(UTC),
            refused_detail_days=config.refused_detail_days,
            fingerprint_days=config.evidence_days,
            attachment_days=config.leave_attachment_days,
            actor=Actor.cli(),
        )
    typer.echo(
        f"purged {done.evidence_photos} evidence photos, {done.nonces} nonces, "
        f"{done.refused_details} refused-attempt details, "
        f"{done.face_fingerprints} face fingerprints, {done.leave_attachments} leave documents"
    )


def erase_biometrics(
    employee_id: Annotated[str, typer.Argument(help="the employee's NIP (deactivated first)")],
) -> None:
    """Erase a deactivated employee's face templates, evidence photos and image hashes."""
    from hadir.services import privacy
    from hadir.services.audit import Actor

    with errors(), database(settings()) as db:
        erased = privacy.erase_biometrics(db.uow_factory, employee_id, actor=Actor.cli())
    typer.echo(
        f"erased {erased.templates} templates, {erased.evidence_photos} evidence photos, "
        f"{erased.image_hashes} image hashes, {erased.leave_attachments} leave documents "
        f"of {employee_id}"
    )


def unlock_user(username: Annotated[str, typer.Argument(help="the locked account")]) -> None:
    """Lift a sign-in lockout."""
    from hadir.services.audit import Actor
    from hadir.services.auth import unlock

    with errors(), database(settings()) as db:
        unlock(db.uow_factory, username, actor=Actor.cli())
    typer.echo(f"{username} unlocked")
