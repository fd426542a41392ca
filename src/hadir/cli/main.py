"""The ``hadir`` command. Thin: parse, call a use case, print; errors become exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from hadir.domain.errors import HadirError
from hadir.settings import Settings

app = typer.Typer(
    name="hadir",
    help="Hadir: face-verified staff attendance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
T = TypeVar("T")


def _settings() -> Settings:
    return Settings()


def _fail(exc: HadirError) -> typer.Exit:
    typer.echo(f"error {exc.code.value}: {exc.message}", err=True)
    return typer.Exit(code=2)


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except HadirError as exc:
        raise _fail(exc) from exc


def _with_status(message: str, work: Callable[[], T]) -> T:
    if err.is_terminal:
        with err.status(message):
            return work()
    return work()


@app.command()
def compare(
    left: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="first photo")],
    right: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="second photo")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object on stdout")] = False,
) -> None:
    """Similarity, threshold and decision for the faces in two photos."""
    from hadir.bootstrap import build_face_engine

    with _errors():
        engine = _with_status("loading the face engine", lambda: build_face_engine(_settings()))
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


@app.command()
def embed(
    images: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="photos")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """FaceNet embeddings of the face in each photo."""
    from hadir.bootstrap import build_face_engine
    from hadir.face.pipeline import Purpose

    with _errors():
        engine = _with_status("loading the face engine", lambda: build_face_engine(_settings()))
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


@app.command()
def evaluate(
    pairs: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV left,right,same")],
    root: Annotated[
        Path | None, typer.Option(file_okay=False, help="image folder (default: the CSV's)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object on stdout")] = False,
    roc: Annotated[Path | None, typer.Option(help="write the ROC curve as a PNG")] = None,
    limit: Annotated[int | None, typer.Option(min=10, help="only the first N pairs")] = None,
) -> None:
    """Verification accuracy on labelled pairs (10-fold, TAR at FAR, EER, AUC)."""
    from hadir.bootstrap import build_detector, build_embedder
    from hadir.services.evaluation import EmbeddingTable, read_pairs
    from hadir.services.evaluation import evaluate as run_evaluation

    with _errors():
        settings = _settings()
        rows = read_pairs(pairs)[:limit] if limit else read_pairs(pairs)
        base = root or pairs.parent
        table = EmbeddingTable(build_detector(settings), build_embedder(settings))
        report = _with_progress(lambda p: run_evaluation(table, rows, base, p))
    if roc is not None:
        from hadir.services.plots import save_roc

        save_roc({table.embedder.contract.model_id: (report.scores, report.labels)}, roc)
    if as_json:
        typer.echo(json.dumps(report.to_json()))
        return
    typer.echo(
        f"pairs {report.pairs} ({report.genuine_pairs} same, {report.impostor_pairs} different)\n"
        f"accuracy (10-fold) {report.accuracy:.4f} ± {report.accuracy_std:.4f}\n"
        f"TAR at FAR=1e-3 {report.tar_at_far_1e_3:.4f} (threshold "
        f"{report.threshold_at_far_1e_3:.4f})\n"
        f"TAR at FAR=1e-2 {report.tar_at_far_1e_2:.4f} (threshold "
        f"{report.threshold_at_far_1e_2:.4f})\n"
        f"EER {report.eer:.4f}  AUC {report.auc:.5f}\n"
        f"images {report.images}, failed detection {report.failed_images} {report.failures}\n"
        f"images per second {report.images_per_second:.2f}\n"
        f"contract {report.contract}"
    )


def _with_progress(work: Callable[[Callable[[int, int], None] | None], T]) -> T:
    if not err.is_terminal:
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
    ) as bar:
        task = bar.add_task("embedding images", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return work(update)


@app.command()
def init() -> None:
    """Create or upgrade the database and prepare the face models (asks nothing)."""
    from hadir.bootstrap import build_face_engine
    from hadir.store.db import migrate

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with _errors():
        _with_status("creating or upgrading the database", lambda: migrate(settings.sqlalchemy_url))
        engine = _with_status("preparing the face models", lambda: build_face_engine(settings))
    typer.echo(f"data directory {settings.data_dir.resolve()}")
    typer.echo(f"database {settings.sqlalchemy_url.split('@')[-1]} (migrated to head)")
    typer.echo(f"face engine {engine.embedder.contract.key()}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port")] = None,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
) -> None:
    """Start the HTTP server."""
    import uvicorn

    settings = _settings()
    uvicorn.run(
        "hadir.api.app:app_from_env",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
    )


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
