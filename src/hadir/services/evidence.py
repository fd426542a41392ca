"""Evidence photos, encrypted at rest with AES-256-GCM (off by default; docs/privacy.md).

The photo is shrunk (longest side ``EVIDENCE_MAX_SIDE``) and re-encoded as JPEG before it
is sealed: enough for a human reviewer, far less than the upload. Each photo gets a random
96-bit nonce; the associated data names the event, so a ciphertext moved to another
event fails to open. The key (32 bytes) never reaches the database.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hadir.domain.attendance import Decision
from hadir.domain.errors import DomainValidationError, ErrorCode, HadirError
from hadir.face.intake import downscale, encode_jpeg
from hadir.face.types import Image
from hadir.services.face_records import EvidenceRecord
from hadir.services.ports import AbstractUnitOfWork

EVIDENCE_MAX_SIDE = 480
KEY_BYTES = 32


class EvidenceKeyError(HadirError):
    """The evidence key is missing or malformed (evidence capture refuses to start)."""

    code = ErrorCode.VALIDATION_ERROR


def parse_key(text: str | None) -> bytes:
    """``HADIR_EVIDENCE_KEY``: standard base64 of exactly 32 bytes."""
    if not text or not text.strip():
        raise EvidenceKeyError(
            "Evidence photos are switched on but HADIR_EVIDENCE_KEY is not set "
            "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`)."
        )
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EvidenceKeyError("HADIR_EVIDENCE_KEY is not valid base64.") from exc
    if len(key) != KEY_BYTES:
        raise EvidenceKeyError(f"HADIR_EVIDENCE_KEY must decode to {KEY_BYTES} bytes.")
    return key


def _aad(event_id: int) -> bytes:
    return f"hadir-evidence:event:{event_id}".encode()


@dataclass(frozen=True)
class EvidenceVault:
    """Seals and opens evidence photos with one key; keeps them ``retention``."""

    key: bytes
    retention: timedelta = timedelta(days=30)
    doubtful_only: bool = True
    """Keep photos of review-band and refused attempts only (an accepted check needs no
    second look); ``False`` keeps every attempt's photo."""

    def keeps(self, decision: Decision) -> bool:
        return not (self.doubtful_only and decision is Decision.ACCEPTED)

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise DomainValidationError("the evidence key must be 32 bytes")

    def seal(self, event_id: int, photo: bytes) -> tuple[bytes, bytes]:
        nonce = secrets.token_bytes(12)
        return nonce, AESGCM(self.key).encrypt(nonce, photo, _aad(event_id))

    def open(self, record: EvidenceRecord) -> bytes:
        """The JPEG bytes; ``DomainValidationError`` if the key or the row is wrong."""
        try:
            return AESGCM(self.key).decrypt(record.nonce, record.ciphertext, _aad(record.event_id))
        except InvalidTag as exc:
            raise DomainValidationError(
                "this evidence photo cannot be opened with the configured key",
                event_id=record.event_id,
            ) from exc

    def store(
        self,
        uow: AbstractUnitOfWork,
        event_id: int,
        employee_id: int | None,
        image: Image,
        *,
        now: datetime,
    ) -> EvidenceRecord:
        small, _ = downscale(image, EVIDENCE_MAX_SIDE)
        nonce, sealed = self.seal(event_id, encode_jpeg(small, quality=80))
        return uow.evidence.add(
            event_id, employee_id, nonce, sealed, expires_at=now + self.retention
        )
