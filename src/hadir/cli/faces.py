"""Face commands: compare two photos, embed photos, evaluate on labelled pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import numpy.typing as npt
import typer

from hadir.cli.common import database, errors, settings, with_progress, with_status
from hadir.domain.errors import HadirError, ModelUnavailableError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from hadir.face.embedder import Embedder
    from hadir.face.matching import Thresholds
    from hadir.face.types import EmbeddingContract
    from hadir.offline.evaluation import OperatingPoint
    from hadir.services.face_records import SiteCalibrationRecord
    from hadir.settings import Settings


def register(app: typer.Typer) -> None:
    app.command()(compare)
    app.command()(embed)
    app.command()(evaluate)


def compare(
    left: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="first photo")],
    right: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="second photo")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object on stdout")] = False,
) -> None:
    """Similarity, threshold and decision for the faces in two photos."""
    from hadir.bootstrap import build_face_engine

    with errors():
        engine = with_status("loading the face engine", lambda: build_face_engine(settings()))
        result = engine.compare(left.read_bytes(), right.read_bytes())
    m = result.match
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "similarity": round(m.similarity, 5),
                    "threshold": round(m.threshold, 5),
                    "review_threshold": round(m.review_threshold, 5),
                    "decision": m.decision.value,
                    "contract": engine.embedder.contract.key(),
                }
            )
        )
        return
    verdict = {"accept": "same person", "review": "uncertain: needs review", "reject": "different"}
    typer.echo(
        f"similarity {m.similarity:.4f}  threshold {m.threshold:.4f}  "
        f"decision {m.decision.value} ({verdict[m.decision.value]})"
    )


def embed(
    images: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="photos")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """Embeddings (of the configured model set) of the face in each photo."""
    from hadir.bootstrap import build_face_engine
    from hadir.face.pipeline import Purpose

    with errors():
        engine = with_status("loading the face engine", lambda: build_face_engine(settings()))
    contract = engine.embedder.contract
    failures = 0
    for path in images:
        try:
            analysis = engine.analyse(path.read_bytes(), Purpose.VERIFY)
        except HadirError as exc:
            failures += 1
            if as_json:
                typer.echo(
                    json.dumps({"path": str(path), "error": exc.code.value, "message": exc.message})
                )
            else:
                typer.echo(f"{path}: {exc.code.value}: {exc.message}", err=True)
            continue
        vector = analysis.embedding.vector
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "path": str(path),
                        "box": [round(v, 1) for v in analysis.detection.box],
                        "contract": {
                            "model_id": contract.model_id,
                            "model_sha256": contract.model_sha256,
                            "preprocessing": contract.preprocessing,
                            "dim": contract.dim,
                        },
                        "embedding": [round(float(v), 6) for v in vector],
                    }
                )
            )
        else:
            head = " ".join(f"{v:+.3f}" for v in vector[:6])
            typer.echo(f"{path}: {contract.dim}-d [{head} …] box {analysis.detection.box}")
    if failures:
        raise typer.Exit(code=1)


def site_calibration(config: Settings, contract: EmbeddingContract) -> SiteCalibrationRecord:
    """The site calibration in force for ``contract`` in the configured database."""
    from hadir.domain.errors import NotFoundError

    with database(config) as db, db.uow_factory() as uow:
        found = uow.calibrations.latest(contract)
    if found is None:
        raise NotFoundError(
            f"no site calibration for {contract.model_id} in this database; "
            "run hadir calibrate first",
            models=contract.model_id,
        )
    return found


def site_embedder(embedder: Embedder[Any], record: SiteCalibrationRecord) -> Embedder[Any]:
    import numpy as np

    from hadir.face.site import SiteEmbedder, SiteTransform

    centre = np.asarray(record.centre, dtype=np.float32)
    return SiteEmbedder(embedder, SiteTransform(record.blocks, centre))


def site_point(
    record: SiteCalibrationRecord, scores: npt.NDArray[np.float64], labels: npt.NDArray[np.bool_]
) -> dict[str, float | int]:
    """FMR and TAR of the pairs at the site's accept threshold."""
    import numpy as np

    accept = record.accept
    return {
        "calibration": record.id,
        "accept": accept,
        "fmr_at_accept": float(np.mean(scores[~labels] >= accept)) if (~labels).any() else 0.0,
        "tar_at_accept": float(np.mean(scores[labels] >= accept)) if labels.any() else 0.0,
    }


def evaluate(
    pairs: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV left,right,same")],
    root: Annotated[
        Path | None, typer.Option(file_okay=False, help="image folder (default: the CSV's)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per model set")] = False,
    roc: Annotated[Path | None, typer.Option(help="write the ROC curve(s) as a PNG")] = None,
    limit: Annotated[int | None, typer.Option(min=10, help="only the first N pairs")] = None,
    models: Annotated[
        str | None,
        typer.Option(
            help="model set(s), comma-separated: facenet, sface, facenet+sface "
            "(default: HADIR_FACE_MODELS)"
        ),
    ] = None,
    site: Annotated[
        bool,
        typer.Option(
            "--site",
            help="match in this site's calibrated space and report FMR/TAR at its threshold "
            "(hadir calibrate; uses the configured database)",
        ),
    ] = False,
) -> None:
    """Verification accuracy on labelled pairs (10-fold, TAR at FAR, EER, AUC)."""
    from hadir.bootstrap import build_detector, build_embedder, thresholds_for
    from hadir.offline.evaluation import (
        EmbeddingTable,
        EvaluationReport,
        Progress,
        evaluate_sets,
        read_pairs,
    )

    Reports = dict[str, EvaluationReport]

    reports: dict[str, EvaluationReport] = {}
    with errors():
        config = settings()
        rows = read_pairs(pairs)[:limit] if limit else read_pairs(pairs)
        base = root or pairs.parent
        sets = [m.strip() for m in (models or config.face_models).split(",") if m.strip()]
        detector = build_detector(config)
        sites: dict[str, SiteCalibrationRecord] = {}

        def shipped(embedder: Embedder[Any]) -> Thresholds | None:
            try:
                return thresholds_for(embedder, config)
            except ModelUnavailableError:
                return None

        for name in sorted(sets, key=lambda m: -m.count("+")):
            if name in reports:  # already scored as a component of a fused set
                continue
            embedder = build_embedder(config, name)
            if site:
                sites[name] = site_calibration(config, embedder.contract)
                embedder = site_embedder(embedder, sites[name])
            table = EmbeddingTable(detector, embedder)

            def work(progress: Progress | None, table: EmbeddingTable = table) -> Reports:
                return evaluate_sets(table, rows, base, progress, shipped)

            found = with_progress(work, f"embedding images ({name})")
            reports[name] = found.pop(table.embedder.contract.model_id)
            reports.update({k: v for k, v in found.items() if k in sets and k not in reports})
        reports = {name: reports[name] for name in sets}
    if roc is not None:
        from hadir.offline.plots import save_roc

        save_roc({name: (r.scores, r.labels) for name, r in reports.items()}, roc)
    for name, report in reports.items():
        at_site = site_point(sites[name], report.scores, report.labels) if site else None
        if as_json:
            extra = {} if at_site is None else {"site": at_site}
            typer.echo(json.dumps({"models": name, **report.to_json(), **extra}))
            continue
        if at_site is not None:
            typer.echo(
                f"site calibration {at_site['calibration']}: accept {at_site['accept']:.4f}, "
                f"FMR at accept {at_site['fmr_at_accept']:.5f}, "
                f"TAR at accept {at_site['tar_at_accept']:.4f}"
            )
        typer.echo(
            (f"models {name}\n" if len(reports) > 1 else "")
            + f"pairs {report.pairs} ({report.genuine_pairs} same, "
            f"{report.impostor_pairs} different)\n"
            f"accuracy (10-fold) {report.accuracy:.4f} ± {report.accuracy_std:.4f}\n"
            f"TAR at FAR=1e-3 {report.tar_at_far_1e_3:.4f} (threshold "
            f"{report.threshold_at_far_1e_3:.4f})\n"
            f"TAR at FAR=1e-2 {report.tar_at_far_1e_2:.4f} (threshold "
            f"{report.threshold_at_far_1e_2:.4f})\n"
            f"EER {report.eer:.4f}  AUC {report.auc:.5f}\n"
            + operating_lines(report.operating)
            + f"images {report.images}, failed detection {report.failed_images} "
            f"{report.failures}\n"
            f"images per second {report.images_per_second:.2f}\n"
            f"contract {report.contract}"
        )


def operating_lines(point: OperatingPoint | None) -> str:
    """The shipped operating point, as `hadir evaluate` prints it."""
    if point is None:
        return "shipped thresholds: none calibrated for this recipe\n"
    return (
        f"at the shipped accept threshold {point.accept_threshold:.4f}: "
        f"FMR {point.fmr_at_accept:.5f}  TAR {point.tar_at_accept:.4f}\n"
        f"at the review threshold {point.review_threshold:.4f}: "
        f"FMR {point.fmr_at_review:.5f}  TAR {point.tar_at_review:.4f}\n"
    )
