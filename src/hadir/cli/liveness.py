"""``hadir liveness-eval``: how often the liveness check lets attacks through (APCER, per
attack kind) and refuses genuine sequences (BPCER), on the dev faces."""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hadir.cli.common import errors, settings

if TYPE_CHECKING:
    from hadir.offline.liveness_eval import LivenessEvalReport


def register(app: typer.Typer) -> None:
    app.command("liveness-eval")(liveness_eval)


def liveness_eval(
    faces: Annotated[
        Path | None,
        typer.Option(
            file_okay=False, help="dev faces, a folder per person (default: HADIR_FACES_DIR)"
        ),
    ] = None,
    people: Annotated[
        int | None, typer.Option(min=1, help="only the first N people with 4+ usable photos")
    ] = None,
    skip: Annotated[
        int, typer.Option(min=0, help="leave out the first N people folders with 4+ photos")
    ] = 0,
    half: Annotated[
        str | None,
        typer.Option(
            help="only half 'a' or 'b' of the people (a stable split by name): tune on one,"
            " report on the other"
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="only this kind of attempt (repeatable), e.g. genuine_turn, warp_nose"),
    ] = None,
    seed: Annotated[int, typer.Option(help="seed of the synthetic attacks")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """APCER per attack kind and BPCER of genuine sequences (ISO/IEC 30107-3 terms).

    Genuine: real photos of one person at different head poses (frontal, left, right)
    and a real photo zoomed ("come closer"). Attacks: a still repeated, a photo turned
    as a flat sheet in perspective, one photo bent by 2-D warps (nose, eyes, whole face,
    a cut-out over a fixed background, a mirrored frame, every frame folded), a photo
    brought closer, another person mid-sequence, and used, expired and altered challenges
    (against a scratch SQLite nonce store)."""
    from hadir.bootstrap import build_database, build_face_engine
    from hadir.offline.liveness_eval import evaluate_liveness

    if half not in (None, "a", "b"):
        raise typer.BadParameter("use a or b", param_hint="--half")
    with errors():
        config = settings()
        folder = faces or config.faces_dir
        engine = build_face_engine(config)
        with tempfile.TemporaryDirectory() as scratch:
            nonces = config.model_copy(
                update={"database_url": f"sqlite:///{scratch}/nonces.sqlite3"}
            )
            db = build_database(nonces, migrate_first=True)
            try:

                def note(message: str) -> None:
                    if not as_json:
                        typer.echo(message, err=True)

                report = evaluate_liveness(
                    engine,
                    folder,
                    db.uow_factory,
                    people=people,
                    skip=skip,
                    half=half,
                    kinds=kind or None,
                    seed=seed,
                    progress=note,
                )
            finally:
                db.dispose()
    if as_json:
        typer.echo(json.dumps(_as_dict(report), indent=2))
    else:
        typer.echo(_table(report))


def _as_dict(report: LivenessEvalReport) -> dict[str, object]:
    return {
        "people": report.people,
        "photos": report.photos,
        "thresholds": asdict(report.thresholds),
        "rates": [
            {
                "kind": r.kind,
                "metric": r.metric,
                "attempts": r.attempts,
                "errors": r.errors,
                "rate": None if math.isnan(r.rate) else round(r.rate, 4),
                "upper95": None if math.isnan(r.upper95) else round(r.upper95, 4),
                "reasons": r.reasons,
            }
            for r in report.rates
        ],
    }


def _table(report: LivenessEvalReport) -> str:
    lines = [
        f"{report.people} people, {report.photos} usable photos",
        f"{'kind':<18} {'metric':<6} {'errors':>7} {'attempts':>8} {'rate':>7} {'<=95%':>7}"
        "  outcomes",
    ]
    for r in report.rates:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(r.reasons.items()))
        lines.append(
            f"{r.kind:<18} {r.metric:<6} {r.errors:>7} {r.attempts:>8} {r.rate:>7.1%}"
            f" {r.upper95:>7.1%}  {reasons}"
        )
    return "\n".join(lines)
