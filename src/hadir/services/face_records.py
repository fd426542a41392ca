"""Records of faces: enrolled templates, encrypted evidence photos, the image hashes used
against replays, and the office's own calibration of an embedding contract.

Frozen values out of the unit of work, like ``hadir.services.records``; no photo and no
SQLAlchemy object crosses here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hadir.face.site import Block
from hadir.face.types import Embedding, EmbeddingContract, QualityReport


@dataclass(frozen=True)
class TemplateRecord:
    """One enrolled face template; ``embedding`` carries its contract."""

    id: int
    employee_id: int
    embedding: Embedding
    quality: QualityReport | None
    image_sha256: str | None
    created_at: datetime


@dataclass(frozen=True)
class EvidenceRecord:
    """An encrypted evidence photo (see ``hadir.services.evidence``)."""

    id: int
    event_id: int
    employee_id: int | None
    nonce: bytes
    ciphertext: bytes
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ImageHashes:
    """The image hashes of one earlier attempt (replay checks)."""

    event_id: int
    image_sha256: str | None
    image_phash: str | None


@dataclass(frozen=True)
class FaceSeen:
    """The face fingerprint of one earlier attempt (replay checks)."""

    event_id: int
    fingerprint: str


@dataclass(frozen=True)
class Estimate:
    """A measured rate with its 95 % interval (bootstrap over employees)."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class NewSiteCalibration:
    """The office's own calibration of one embedding contract (``hadir calibrate``).

    ``centre`` is the site transform's centre (``hadir.face.site``); ``accept``/``review``
    are the 1:1 thresholds and ``identify`` the 1:N one, in the transformed space.
    ``fitted`` is the threshold the impostor model gave for ``target_fmr`` before the
    shipped floor; ``lowered`` says an admin allowed a threshold below that floor."""

    contract: EmbeddingContract
    blocks: tuple[Block, ...]
    centre: Any
    accept: float
    review: float
    identify: float
    target_fmr: float
    fitted: float
    employees: int
    templates: int
    impostor_pairs: int
    genuine_pairs: int
    fmr: Estimate
    tar: Estimate
    lowered: bool
    created_by: str


@dataclass(frozen=True)
class SiteCalibrationRecord(NewSiteCalibration):
    id: int = 0
    created_at: datetime = datetime(1970, 1, 1)
