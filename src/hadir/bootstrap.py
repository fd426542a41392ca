"""The composition root: every concrete piece built from settings, in one place, once
per process (``build_container``); the HTTP app, the pages and the CLI receive the
``Container``. Nothing here runs at import."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from hadir.domain.attendance import DisciplineRules, LeavePolicy
from hadir.domain.errors import ModelUnavailableError
from hadir.face.assets import mtcnn_files
from hadir.face.calibration import (
    Calibration,
    gallery_thresholds,
    identification_thresholds,
    load_calibrations,
    load_centre,
    load_fusion,
)
from hadir.face.embedder import Embedder
from hadir.face.facenet import FaceNetEmbedder, FaceNetRecipe
from hadir.face.fusion import Component, FusedEmbedder
from hadir.face.intake import MIB, IntakeLimits
from hadir.face.liveness import ChallengeAction, LivenessThresholds
from hadir.face.matching import Thresholds
from hadir.face.mtcnn import MtcnnDetector
from hadir.face.pipeline import EngineConfig, FaceEngine
from hadir.face.sface import SFaceEmbedder, SFaceRecipe
from hadir.services.auth import SignInPolicy
from hadir.services.checkguard import CheckPolicy
from hadir.services.container import Container, Liveness, Security
from hadir.services.dashboard import PastDays
from hadir.services.evidence import EvidenceVault, parse_key
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import Clock
from hadir.services.printing import Letterhead, Signer
from hadir.services.ratelimit import RateLimiter
from hadir.settings import ReportSigner, Settings
from hadir.store.db import make_engine, make_session_factory, migrate
from hadir.store.uow import SqlUnitOfWork

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("hadir")


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


def thresholds_for(
    embedder: Embedder[Any],
    settings: Settings,
    calibrations: Mapping[str, Calibration] | None = None,
) -> Thresholds:
    """The configured threshold if set, else the one calibrated for this recipe."""
    known = load_calibrations() if calibrations is None else calibrations
    calibration = known.get(embedder.contract.preprocessing)
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


def intake_limits(settings: Settings) -> IntakeLimits:
    return IntakeLimits(
        max_bytes=settings.max_image_bytes,
        max_pixels=settings.max_image_pixels,
        max_decode_bytes=settings.max_decode_mb * MIB,
        max_side=settings.max_image_side,
    )


def build_face_engine(
    settings: Settings, calibrations: Mapping[str, Calibration] | None = None
) -> FaceEngine:
    known = load_calibrations() if calibrations is None else calibrations
    embedder = build_embedder(settings)
    thresholds = thresholds_for(embedder, settings, known)
    config = EngineConfig(
        intake=intake_limits(settings),
        detect_max_side=settings.detect_max_side,
        concurrency=settings.face_concurrency_or_default,
    )
    calibration = known.get(embedder.contract.preprocessing)
    identify = identification_thresholds(thresholds, calibration)
    return FaceEngine(
        build_detector(settings),
        embedder,
        thresholds,
        config,
        identify_thresholds=identify,
        gallery_thresholds=partial(gallery_thresholds, thresholds, calibration),
    )


def leave_policy(settings: Settings) -> LeavePolicy:
    return LeavePolicy(
        max_days=settings.leave_max_days,
        max_backdate_days=settings.leave_backdate_days,
        max_ahead_days=settings.leave_ahead_days,
        annual_days=settings.leave_annual_days,
        carry_over_days=settings.leave_carry_over_days,
        hr_approval=settings.leave_hr_approval,
    )


def discipline_rules(settings: Settings) -> DisciplineRules:
    """The TL/PSW bands and TPP percentages of the settings (validated: a wrong list
    stops the process at start, not at the first report)."""
    return DisciplineRules(
        late_bounds=tuple(settings.late_bands_minutes),
        early_bounds=tuple(settings.early_bands_minutes),
        late_percent=tuple(settings.tpp_late_percent),
        early_percent=tuple(settings.tpp_early_percent),
        absent_percent=settings.tpp_absent_percent,
        cap_percent=settings.tpp_cap_percent,
    )


def letterhead(settings: Settings) -> Letterhead:
    """The agency, place and signers of printed reports."""

    def signer(value: ReportSigner) -> Signer:
        return Signer(value.title.strip(), value.name.strip(), value.nip.strip())

    return Letterhead(
        agency=settings.agency_name.strip(),
        place=settings.report_place.strip(),
        signer=signer(settings.report_signer),
        unit_signers={u.strip(): signer(s) for u, s in settings.report_unit_signers.items()},
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


def migrate_database(settings: Settings) -> None:
    """Create or upgrade the schema of ``settings.sqlalchemy_url`` to the newest revision."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate(settings.sqlalchemy_url)


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


def _limiter(enabled: bool, per_minute: float, scope: str) -> RateLimiter | None:
    return RateLimiter(per_minute, scope=scope) if enabled else None


def build_security(settings: Settings) -> Security:
    """Raises ``EvidenceKeyError`` when evidence photos are on without a valid key: the
    server refuses to start rather than keep photos it cannot protect."""
    vault = None
    if settings.evidence_photos:
        key = None if settings.evidence_key is None else settings.evidence_key.get_secret_value()
        vault = EvidenceVault(parse_key(key), timedelta(days=settings.evidence_days))
    on = settings.rate_limits
    per_username = _limiter(on, settings.signin_per_username_per_minute, "sign-in per username")
    return Security(
        check=CheckPolicy(
            replay=settings.replay_check,
            replay_max_distance=settings.replay_max_distance,
            replay_window=timedelta(days=settings.replay_window_days),
            face_window=timedelta(days=settings.evidence_days),
            max_accuracy_m=settings.geofence_max_accuracy_m,
            employee_limiter=_limiter(
                on, settings.checkin_per_employee_per_minute, "check-in per employee"
            ),
            evidence=vault,
            intake=intake_limits(settings),
        ),
        sign_in=SignInPolicy(
            max_failures=settings.login_max_failures,
            lock_for=timedelta(minutes=settings.login_lock_minutes),
            lifetime=timedelta(hours=settings.token_hours),
            per_username=per_username,
        ),
        checkin_ip=_limiter(on, settings.checkin_per_ip_per_minute, "check-in per address"),
        checkin_token=_limiter(on, settings.checkin_per_token_per_minute, "check-in per token"),
        signin_ip=_limiter(on, settings.signin_per_ip_per_minute, "sign-in per address"),
        signin_username=per_username,
        evidence=vault,
    )


def build_liveness(settings: Settings) -> Liveness:
    from hadir.web.i18n import in_every_language

    return Liveness(
        actions=tuple(ChallengeAction(a) for a in settings.liveness_actions),
        limits=LivenessThresholds(),
        prompts={a: in_every_language(f"challenge.{a.value}") for a in ChallengeAction},
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


def build_container(
    settings: Settings,
    *,
    face_engine: FaceEngine | None = None,
    database: Database | None = None,
    clock: Clock | None = None,
    warm_up: bool = True,
) -> Container:
    """Everything one process runs with, built once. ``face_engine``, ``database`` and
    ``clock`` are given by tests (and ``database`` by CLI commands, which open it first);
    otherwise the engine is built from settings and the database opened (the embedded
    SQLite database is migrated first). A server warms the engine up; a one-shot command
    does not (``warm_up``). Fails here, at start, when a piece cannot be built (no key, no
    model, no calibrated threshold)."""
    security = build_security(settings)
    secret_key = load_secret_key(settings)
    calibrations = load_calibrations()
    if database is None:
        embedded = settings.sqlalchemy_url.startswith("sqlite")
        database = build_database(settings, migrate_first=embedded)
    engine = face_engine
    if engine is None:
        engine = build_face_engine(settings, calibrations)
    if face_engine is None and warm_up:
        warm = engine.warm_up()  # first-call allocations here, not in the first check-in
        log.info(
            "face engine ready in this process (warm-up %.0f ms, %d onnx threads): %s",
            warm * 1000,
            settings.onnx_threads,
            engine.embedder.contract.key(),
        )
    return Container(
        settings=settings,
        database=database,
        face_engine=engine,
        index=TemplateIndexProvider(database.uow_factory, poll_seconds=settings.index_poll_seconds),
        calibrations=calibrations,
        secret_key=secret_key,
        security=security,
        liveness=build_liveness(settings),
        leave=leave_policy(settings),
        discipline=discipline_rules(settings),
        letterhead=letterhead(settings),
        clock=clock or _utc_now,
        past_days=PastDays(),
    )


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` and worker processes: settings from the
    environment, one container per process."""
    from hadir.server import create_app

    return create_app(build_container(Settings()))
