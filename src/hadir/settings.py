"""Settings from the environment (prefix ``HADIR_``). Built by the caller, never at import."""

from __future__ import annotations

import os
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReportSigner(BaseModel):
    """Who signs a printed report ("Mengetahui, <title>", name, NIP)."""

    title: str = Field(default="", max_length=200)
    name: str = Field(default="", max_length=200)
    nip: str = Field(default="", max_length=40)


class Settings(BaseSettings):
    """Every knob of a Hadir process. ``Settings()`` reads the environment."""

    model_config = SettingsConfigDict(env_prefix="HADIR_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Database, converted models, backups")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in data_dir"
    )
    faces_dir: Path = Field(
        default=Path("../shared/data/faces-dev"), description="Labelled dev faces (tests, demo)"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    secret_key: SecretStr | None = Field(
        default=None,
        description=(
            "signs sessions, CSRF and liveness challenges; default: data_dir/secret.key, "
            "created on first use. Servers that share a database must share this key."
        ),
    )
    liveness_actions: list[Literal["turn_left_right", "come_closer"]] = Field(
        default=["turn_left_right"],
        min_length=1,
        description='liveness challenges to draw from (JSON list); "come_closer" is weak',
    )
    index_poll_seconds: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="how often the 1:N index checks the database for template changes",
    )

    # accounts and tokens (docs/security.md)
    token_hours: float = Field(
        default=12.0, gt=0, le=24 * 366, description="lifetime of a sign-in token"
    )
    api_token_days: float = Field(
        default=90.0, gt=0, le=3660, description="lifetime of a token issued by hadir token"
    )
    login_max_failures: int = Field(
        default=5, ge=1, le=100, description="wrong passwords in a row that lock an account"
    )
    login_lock_minutes: float = Field(
        default=15.0, ge=0, le=7 * 24 * 60, description="how long a locked account stays locked"
    )

    # rate limits: in-process token buckets, each server has its own (docs/security.md)
    rate_limits: bool = Field(default=True, description="enforce the per-minute limits below")
    checkin_per_ip_per_minute: float = Field(
        default=600.0,
        gt=0,
        description="per client address: a whole office's phones may share one NAT address",
    )
    checkin_per_token_per_minute: float = Field(default=60.0, gt=0)
    checkin_per_employee_per_minute: float = Field(default=6.0, gt=0)
    signin_per_ip_per_minute: float = Field(default=20.0, gt=0)
    signin_per_username_per_minute: float = Field(default=10.0, gt=0)

    # replay and geofence
    replay_check: bool = Field(
        default=True,
        description="refuse a photo already sent (exact or near copy); off only for load tests",
    )
    replay_max_distance: int = Field(
        default=6, ge=0, le=32, description="pHash bits within which a photo is a replay"
    )
    replay_window_days: int = Field(
        default=365, ge=1, description="how far back near-duplicate photos are looked for"
    )
    # leave requests (issue 13, finding 11)
    leave_max_days: int = Field(default=90, ge=1, description="longest leave request, in days")
    leave_backdate_days: int = Field(
        default=30, ge=0, description="how many days back a leave request may start"
    )
    leave_ahead_days: int = Field(
        default=366, ge=0, description="how many days ahead a leave request may end"
    )
    leave_annual_days: int = Field(
        default=12, ge=0, le=366, description="annual leave (cuti) entitlement, working days"
    )
    leave_hr_approval: bool = Field(
        default=False, description="leave approved by the direct superior also needs HR"
    )
    leave_carry_over_days: int = Field(
        default=6, ge=0, le=366, description="unused annual leave days carried to next year"
    )
    # discipline categories and the TPP deduction (docs/reports.md): JSON lists
    late_bands_minutes: list[int] = Field(
        default=[30, 60, 90],
        description="upper bounds (inclusive) of TL1, TL2, TL3; later is TL4",
    )
    early_bands_minutes: list[int] = Field(
        default=[30, 60, 90],
        description="upper bounds (inclusive) of PSW1, PSW2, PSW3; earlier is PSW4",
    )
    tpp_late_percent: list[Decimal] = Field(
        default=[Decimal("0.5"), Decimal("1"), Decimal("1.25"), Decimal("1.5")],
        description="TPP deduction per occurrence of TL1..TL4, in percent",
    )
    tpp_early_percent: list[Decimal] = Field(
        default=[Decimal("0.5"), Decimal("1"), Decimal("1.25"), Decimal("1.5")],
        description="TPP deduction per occurrence of PSW1..PSW4, in percent",
    )
    tpp_absent_percent: Decimal = Field(
        default=Decimal("3"), description="TPP deduction per day absent without leave"
    )
    tpp_cap_percent: Decimal = Field(
        default=Decimal("100"), description="largest TPP deduction of one month, in percent"
    )
    # printed reports (docs/reports.md)
    agency_name: str = Field(
        default="",
        max_length=300,
        description="the agency's name atop printed reports, e.g. 'Badan Kepegawaian Daerah'",
    )
    report_place: str = Field(
        default="", max_length=100, description="place printed before the date signed, e.g. Sleman"
    )
    report_signer: ReportSigner = Field(
        default_factory=ReportSigner,
        description='default signer of printed reports, JSON {"title", "name", "nip"}',
    )
    report_unit_signers: dict[str, ReportSigner] = Field(
        default_factory=dict,
        description='signer per unit, JSON {"<unit>": {"title", "name", "nip"}}',
    )
    geofence_max_accuracy_m: float = Field(
        default=100.0, ge=0, description="largest GPS accuracy credited to a check-in"
    )

    kiosk_switch_time: time | None = Field(
        default=None,
        description=(
            "local time (HH:MM) from which a kiosk proposes check-out; "
            "default: the middle of the day's office hours"
        ),
    )

    # personal data (docs/privacy.md)
    evidence_photos: bool = Field(
        default=False, description="keep an encrypted evidence photo of each check attempt"
    )
    evidence_key: SecretStr | None = Field(
        default=None, description="HADIR_EVIDENCE_KEY: base64 of 32 bytes (AES-256-GCM)"
    )
    evidence_days: int = Field(
        default=30,
        ge=1,
        description="days an evidence photo and a check-in's face fingerprint are kept",
    )
    leave_attachment_days: int = Field(
        default=365,
        ge=1,
        description="days the document of a leave request (a doctor's note) is kept",
    )
    leave_attachment_max_bytes: int = Field(
        default=2_000_000, ge=1024, description="largest leave document (PDF, JPEG, PNG)"
    )
    refused_detail_days: int = Field(
        default=90, ge=1, description="days the location and device of refused attempts are kept"
    )

    # face engine
    onnx_threads: int = Field(default=2, ge=1, le=64, description="intra-op threads per session")
    face_concurrency: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="face analyses run at once per process; default: cores // onnx_threads",
    )
    max_image_bytes: int = Field(default=10_000_000, ge=1)
    max_request_bytes: int | None = Field(
        default=None, ge=1, description="largest request body; default: max_image_bytes*11 + 1 MiB"
    )
    api_docs: Literal["public", "staff", "off"] = Field(
        default="public", description="/docs and /openapi.json: for anyone, signed-in staff, or off"
    )
    max_body_bytes: int = Field(
        default=1 << 20,
        ge=1024,
        description="largest body that is not a photo upload (JSON, forms)",
    )
    max_image_pixels: int = Field(default=40_000_000, ge=1)
    max_decode_mb: int = Field(
        default=96, ge=1, description="MiB the decoder may hold for one photo (image_too_large)"
    )
    max_image_side: int = Field(
        default=2560, ge=320, description="photos are shrunk to this longest side on decoding"
    )
    detect_max_side: int = Field(
        default=1280, ge=160, description="photos larger than this are downscaled before detection"
    )
    flip_tta: bool = Field(default=True, description="add the mirrored face's embedding")
    facenet_int8: bool = Field(
        default=True,
        description=(
            "FaceNet statically quantised to int8: 3x faster, same dev accuracy "
            "(docs/performance.md); false = float32. Templates are tied to the choice."
        ),
    )
    face_models: Literal["facenet", "sface", "facenet+sface"] = Field(
        default="sface",
        description=(
            "embedding model set (docs/accuracy.md, docs/fairness.md: SFace alone holds best "
            "in the worst measured group); templates are tied to it"
        ),
    )
    match_threshold: float | None = Field(
        default=None, description="accept threshold; default: the calibrated FAR=0.1% value"
    )
    review_margin: float | None = Field(
        default=None, description="width of the review band below the accept threshold"
    )
    calibration_min_employees: int = Field(
        default=20, ge=3, description="site calibration refuses with fewer enrolled employees"
    )

    @property
    def face_concurrency_or_default(self) -> int:
        if self.face_concurrency is not None:
            return self.face_concurrency
        return max(1, len(os.sched_getaffinity(0)) // self.onnx_threads)

    @property
    def model_cache_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'hadir.sqlite3').resolve()}"
