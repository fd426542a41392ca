"""``hadir calibrate``: the site calibration from the enrolled staff (no photos needed)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from hadir.cli.common import container, database, errors, settings, with_status

if TYPE_CHECKING:
    from hadir.services.face_records import Estimate
    from hadir.services.sitecal import CalibrationResult


def register(app: typer.Typer) -> None:
    app.command()(calibrate)


def _rate(e: Estimate, digits: int) -> str:
    return f"{e.value:.{digits}f} (95 % interval {e.low:.{digits}f} to {e.high:.{digits}f})"


def describe(result: CalibrationResult) -> list[str]:
    c = result.calibration
    tail = "empirical quantile" if c.impostor_pairs * c.target_fmr >= 10 else "Pareto tail"
    floor = "below the shipped floor (admin override)" if c.lowered else "shipped floor"
    lines = [
        f"site calibration of {c.contract.model_id} from {c.employees} employees "
        f"({c.templates} templates): {c.impostor_pairs} different-employee scores, "
        f"{c.genuine_pairs} same-employee scores",
        f"threshold for FMR {c.target_fmr:g}: {c.fitted:.4f} ({tail}); {floor} {result.floor:.4f}",
        f"accept {c.accept:.4f}  review {c.review:.4f}  identify {c.identify:.4f}",
        f"estimated FMR at accept: {_rate(c.fmr, 5)}",
        (
            f"estimated TAR at accept: {_rate(c.tar, 3)}"
            if c.genuine_pairs
            else "estimated TAR: no employee has two templates"
        ),
    ]
    if result.saved is None:
        lines.append("not saved (--dry-run)")
    else:
        lines.append(f"saved as calibration {result.saved.id}; the server uses it now")
    return lines


def calibrate(
    target_fmr: Annotated[
        float, typer.Option(min=1e-6, max=0.05, help="false-match rate to hold")
    ] = 1e-3,
    min_employees: Annotated[
        int | None,
        typer.Option(min=3, help="refuse below this many (HADIR_CALIBRATION_MIN_EMPLOYEES)"),
    ] = None,
    allow_lower: Annotated[
        bool, typer.Option(help="allow a threshold below the shipped one (audited)")
    ] = False,
    dry_run: Annotated[bool, typer.Option(help="estimate and print, do not save")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object on stdout")] = False,
) -> None:
    """Fit the office's own centre and threshold from its enrolled employees' templates;
    print the estimated FMR and TAR with their uncertainty; the server then uses it."""
    from hadir.services.audit import Actor
    from hadir.services.sitecal import calibrate_site

    config = settings()
    with errors(), database(config) as db:
        engine = container(config, db).face_engine
        result = with_status(
            "calibrating",
            lambda: calibrate_site(
                db.uow_factory,
                engine,
                actor=Actor.cli(),
                target_fmr=target_fmr,
                min_employees=min_employees or config.calibration_min_employees,
                allow_lower=allow_lower,
                save=not dry_run,
            ),
        )
    if as_json:
        c = result.calibration
        typer.echo(
            json.dumps(
                {
                    "contract": c.contract.key(),
                    "employees": c.employees,
                    "templates": c.templates,
                    "impostor_pairs": c.impostor_pairs,
                    "genuine_pairs": c.genuine_pairs,
                    "target_fmr": c.target_fmr,
                    "fitted": c.fitted,
                    "floor": result.floor,
                    "accept": c.accept,
                    "review": c.review,
                    "identify": c.identify,
                    "lowered": c.lowered,
                    "fmr": vars(c.fmr),
                    "tar": vars(c.tar),
                    "saved": None if result.saved is None else result.saved.id,
                }
            )
        )
        return
    for line in describe(result):
        typer.echo(line)
