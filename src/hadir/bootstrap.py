"""The composition root: concrete pieces built from settings, in one place."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from hadir.domain.attendance import LeavePolicy
from hadir.domain.errors import ModelUnavailableError
from hadir.face.assets import mtcnn_files
from hadir.face.calibration import load_calibrations, load_centre, load_fusion
from hadir.face.embedder import Embedder
from hadir.face.facenet import FaceNetEmbedder, FaceNetRecipe
from hadir.face.fusion import Component, FusedEmbedder
from hadir.face.intake import IntakeLimits
from hadir.face.matching import Thresholds
from hadir.face.mtcnn import MtcnnDetector
from hadir.face.pipeline import EngineConfig, FaceEngine
from hadir.face.sface import SFaceEmbedder, SFaceRecipe
from hadir.settings import Settings
from hadir.store.db import make_engine, make_session_factory, migrate
from hadir.store.uow import SqlUnitOfWork


def default_recipe(settings: Settings) -> FaceNetRecipe:
    return FaceNetRecipe(flip=settings.flip_tta, centre=load_centre(), int8=settings.facenet_int8)


MODEL_SETS = ("facenet", "sface", "facenet+sface")
"""The embedding model sets ``HADIR_FACE_MODELS`` (and ``hadir evaluate --models``) accept."""


def build_facenet(settings: Settings) -> FaceNetEmbedder:
    # The converter is offline tooling; it runs here only when the cache lacks the network.
    from hadir.offline.tf_convert import ensure_facenet_onnx

    converted = ensure_facenet_onnx(settings.model_cache_dir)
    path = converted.path
    if settings.facenet_int8:
        from hadir.offline.quantize import ensure_facenet_int8

        path = ensure_facenet_int8(settings.model_cache_dir, converted)
    return FaceNetEmbedder(
        path,
        source_sha256=converted.source_sha256,
        recipe=default_recipe(settings),
        threads=settings.onnx_threads,
    )


def build_sface(settings: Settings) -> SFaceEmbedder:
    recipe = SFaceRecipe(centre=load_centre("sface_centre.npy"))
    return SFaceEmbedder(recipe=recipe, threads=settings.onnx_threads)


def build_embedder(settings: Settings, models: str | None = None) -> Embedder[Any]:
    """The embedder of a model set (default: ``settings.face_models``)."""
    chosen = models or settings.face_models
    if chosen == "facenet":
        return build_facenet(settings)
    if chosen == "sface":
        return build_sface(settings)
    if chosen == "facenet+sface":
        fusion = load_fusion(chosen)
        if fusion is None:
            raise ModelUnavailableError(
                f"no fusion weights for {chosen!r}; run scripts/calibrate.py", models=chosen
            )
        return FusedEmbedder(
            [
                Component("facenet", build_facenet(settings), fusion.weights["facenet"]),
                Component("sface", build_sface(settings), fusion.weights["sface"]),
            ]
        )
    raise ModelUnavailableError(
        f"unknown model set {chosen!r}; choose one of {', '.join(MODEL_SETS)}", models=chosen
    )


def build_detector(settings: Settings) -> MtcnnDetector:
    return MtcnnDetector(mtcnn_files(), threads=settings.onnx_threads)


def thresholds_for(embedder: Embedder[Any], settings: Settings) -> Thresholds:
    """The configured threshold if set, else the one calibrated for this recipe."""
    calibration = load_calibrations().get(embedder.contract.preprocessing)
    if settings.match_threshold is not None:
        accept, review = settings.match_threshold, settings.match_threshold
    elif calibration is not None:
        accept, review = calibration.accept, calibration.review
    else:
        raise ModelUnavailableError(
            f"no calibrated threshold for recipe {embedder.contract.preprocessing!r}; "
            "set HADIR_MATCH_THRESHOLD or run scripts/calibrate.py"
        )
    if settings.review_margin is not None:
        review = accept - settings.review_margin
    return Thresholds(accept=accept, review=max(-1.0, review))


def build_face_engine(settings: Settings) -> FaceEngine:
    embedder = build_embedder(settings)
    config = EngineConfig(
        intake=IntakeLimits(
            max_bytes=settings.max_image_bytes, max_pixels=settings.max_image_pixels
        ),
        detect_max_side=settings.detect_max_side,
        concurrency=settings.face_concurrency_or_default,
    )
    return FaceEngine(
        build_detector(settings), embedder, thresholds_for(embedder, settings), config
    )


def leave_policy(settings: Settings) -> LeavePolicy:
    return LeavePolicy(
        max_days=settings.leave_max_days,
        max_backdate_days=settings.leave_backdate_days,
        max_ahead_days=settings.leave_ahead_days,
    )


@dataclass(frozen=True)
class Database:
    """The SQLAlchemy engine and a factory of units of work over it."""

    engine: Engine
    uow_factory: Callable[[], SqlUnitOfWork]

    def dispose(self) -> None:
        self.engine.dispose()


def build_database(settings: Settings, *, migrate_first: bool = False) -> Database:
    """Engine and unit-of-work factory for ``settings.sqlalchemy_url`` (SQLite by default)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    if migrate_first:
        migrate(engine)
    sessions = make_session_factory(engine)
    return Database(engine=engine, uow_factory=lambda: SqlUnitOfWork(sessions))


def load_secret_key(settings: Settings) -> bytes:
    """``HADIR_SECRET_KEY``, or the key in ``data_dir/secret.key`` (32 random bytes,
    created with mode 0600 on first use). Never logged."""
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value().encode("utf-8")
        if len(key) < 16:
            raise ValueError("HADIR_SECRET_KEY must be at least 16 characters")
        return key
    path = settings.data_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="ascii").strip().encode("ascii")
