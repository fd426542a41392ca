"""Tables of face evidence and calibration: encrypted evidence photos and the office's own
calibrations of an embedding contract."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from hadir.store.tables.base import Base


class EvidencePhoto(Base):
    """An optional evidence photo of a check attempt, AES-GCM encrypted (never plain).

    ``nonce`` is the 12-byte GCM nonce; the associated data binds the ciphertext to its
    event id, so a row copied onto another event does not decrypt. Removed after
    ``expires_at`` by ``hadir purge`` and with the employee's biometric data.
    """

    __tablename__ = "evidence_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("attendance_events.id", ondelete="CASCADE"), unique=True
    )
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class SiteCalibration(Base):
    """The office's own calibration of an embedding contract (``hadir calibrate``); the
    newest row of a contract is the one in force. Holds no photo and no template: only
    the centre of the site transform, thresholds and the estimates behind them."""

    __tablename__ = "site_calibrations"
    __table_args__ = (Index("ix_site_calibrations_contract", "preprocessing", "model_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(String(128))
    model_sha256: Mapped[str] = mapped_column(String(64))
    preprocessing: Mapped[str] = mapped_column(Text)
    dim: Mapped[int] = mapped_column(Integer)
    blocks: Mapped[str] = mapped_column(Text)
    """The model blocks of the vectors: ``start:stop:scale`` joined by ``;``."""
    centre: Mapped[bytes] = mapped_column(LargeBinary)
    accept: Mapped[float] = mapped_column(Double)
    review: Mapped[float] = mapped_column(Double)
    identify: Mapped[float] = mapped_column(Double)
    target_fmr: Mapped[float] = mapped_column(Double)
    fitted: Mapped[float] = mapped_column(Double)
    employees: Mapped[int] = mapped_column(Integer)
    templates: Mapped[int] = mapped_column(Integer)
    impostor_pairs: Mapped[int] = mapped_column(Integer)
    genuine_pairs: Mapped[int] = mapped_column(Integer)
    fmr: Mapped[float] = mapped_column(Double)
    fmr_low: Mapped[float] = mapped_column(Double)
    fmr_high: Mapped[float] = mapped_column(Double)
    tar: Mapped[float] = mapped_column(Double)
    tar_low: Mapped[float] = mapped_column(Double)
    tar_high: Mapped[float] = mapped_column(Double)
    lowered: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
