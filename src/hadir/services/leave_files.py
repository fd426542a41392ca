"""The document of a leave request (a doctor's note of a sick leave: PDF, JPEG or PNG),
encrypted at rest with AES-256-GCM like evidence photos (docs/privacy.md).

The type is read from the file's first bytes (never from its name or the declared
type); the size is capped (``HADIR_LEAVE_ATTACHMENT_MAX_BYTES``). Each document gets a
random 96-bit nonce and associated data naming its leave, so a ciphertext moved onto
another leave fails to open. The key is ``HADIR_EVIDENCE_KEY`` when set, otherwise one
derived (HKDF-SHA256) from the server's secret key; it never reaches the database.
Attaching and every download are in the audit trail; documents are removed by
``hadir purge`` after ``HADIR_LEAVE_ATTACHMENT_DAYS`` and with the employee's
biometric/evidence data (``privacy.erase_biometrics``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hadir.domain.errors import DomainValidationError, ErrorCode, HadirError, NotFoundError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.auth import Principal
from hadir.services.employees import target
from hadir.services.errors import ForbiddenError
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import (
    EmployeeRecord,
    LeaveAttachmentRecord,
    LeaveRecord,
    Role,
)
from hadir.services.units import direct_superior

KEY_BYTES = 32
MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
HR_ROLES = (Role.ADMIN, Role.OPERATOR)


class AttachmentError(HadirError):
    """The document cannot be kept: too large or not a PDF, JPEG or PNG."""

    code = ErrorCode.ATTACHMENT_TYPE_UNSUPPORTED


def sniff(data: bytes) -> str | None:
    """The content type the first bytes announce (PDF, JPEG, PNG), or ``None``."""
    for magic, content_type, _ in MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def extension(content_type: str) -> str:
    return next((ext for _, kind, ext in MAGIC if kind == content_type), "bin")


def derive_key(secret_key: bytes) -> bytes:
    """A 32-byte key for leave documents from the server's secret key (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"hadir-leave-files")
    return hkdf.derive(secret_key)


def _aad(leave_id: int) -> bytes:
    return f"hadir-leave-file:leave:{leave_id}".encode()


@dataclass(frozen=True)
class AttachmentVault:
    """Seals and opens leave documents with one key, refusing those over ``max_bytes``."""

    key: bytes
    max_bytes: int = 2_000_000

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise DomainValidationError("the leave document key must be 32 bytes")

    def check(self, data: bytes) -> str:
        """The document's content type; ``AttachmentError`` when it is too large or of a
        type not kept."""
        if len(data) > self.max_bytes:
            raise AttachmentError(
                f"The document is larger than {self.max_bytes / 1_000_000:g} MB; "
                "send a smaller scan or photo.",
                code=ErrorCode.ATTACHMENT_TOO_LARGE,
                field="attachment",
                max_bytes=self.max_bytes,
            )
        content_type = sniff(data)
        if content_type is None:
            raise AttachmentError(
                "The document must be a PDF, JPEG or PNG file.",
                field="attachment",
            )
        return content_type

    def seal(self, leave_id: int, data: bytes) -> tuple[bytes, bytes]:
        nonce = secrets.token_bytes(12)
        return nonce, AESGCM(self.key).encrypt(nonce, data, _aad(leave_id))

    def open(self, record: LeaveAttachmentRecord) -> bytes:
        """The plain document; ``DomainValidationError`` if the key or the row is wrong."""
        try:
            data = AESGCM(self.key).decrypt(record.nonce, record.ciphertext, _aad(record.leave_id))
        except InvalidTag as exc:
            raise DomainValidationError(
                "this document cannot be opened with the configured key",
                leave_id=record.leave_id,
            ) from exc
        if hashlib.sha256(data).hexdigest() != record.sha256:
            raise DomainValidationError("this document is damaged", leave_id=record.leave_id)
        return data


@dataclass(frozen=True)
class AttachmentInfo:
    """What is kept about a leave document, without its bytes."""

    leave_id: int
    content_type: str
    size: int
    sha256: str
    created_at: datetime

    @property
    def filename(self) -> str:
        return f"leave-{self.leave_id}.{extension(self.content_type)}"

    @classmethod
    def of(cls, record: LeaveAttachmentRecord) -> AttachmentInfo:
        return cls(
            record.leave_id, record.content_type, record.size, record.sha256, record.created_at
        )


@dataclass(frozen=True)
class OpenedAttachment:
    info: AttachmentInfo
    data: bytes


def _is_superior(uow: AbstractUnitOfWork, principal: Principal, owner: EmployeeRecord) -> bool:
    superior = direct_superior(uow, owner)
    return superior is not None and superior.id == principal.employee_id


def _may_attach(principal: Principal, leave: LeaveRecord) -> bool:
    return principal.role in HR_ROLES or principal.employee_id == leave.employee_id


def _may_view(
    uow: AbstractUnitOfWork, principal: Principal, leave: LeaveRecord, owner: EmployeeRecord
) -> bool:
    if principal.role in HR_ROLES or principal.employee_id == leave.employee_id:
        return True
    if principal.role is Role.SUPERVISOR and principal.unit == owner.unit:
        return True  # they decide the leave of their unit
    return principal.employee_id is not None and _is_superior(uow, principal, owner)


def attach_leave_file(
    uows: UowFactory,
    vault: AttachmentVault,
    leave_id: int,
    data: bytes,
    *,
    principal: Principal,
    actor: Actor,
) -> AttachmentInfo:
    """Keep ``data`` (checked by ``vault.check``) encrypted as the document of leave
    ``leave_id``, with its audit entry. The employee themself or HR; one per leave
    (``conflict`` for a second)."""
    content_type = vault.check(data)
    with uows() as uow:
        leave = uow.leaves.get(leave_id)
        if not _may_attach(principal, leave):
            raise ForbiddenError("Only the employee or HR may attach a document to this leave.")
        owner = uow.employees.get(leave.employee_id)
        nonce, sealed = vault.seal(leave_id, data)
        digest = hashlib.sha256(data).hexdigest()
        record = uow.leave_files.add(
            leave_id,
            owner.id,
            content_type=content_type,
            size=len(data),
            nonce=nonce,
            ciphertext=sealed,
            sha256=digest,
        )
        detail = {"leave_id": leave_id, "content_type": content_type, "size": len(data)}
        audit.write(uow, actor, "leave.attach", target(owner.employee_id), detail)
        uow.commit()
    return AttachmentInfo.of(record)


def open_leave_file(
    uows: UowFactory,
    vault: AttachmentVault,
    leave_id: int,
    *,
    principal: Principal,
    actor: Actor,
) -> OpenedAttachment:
    """The document of leave ``leave_id`` for the employee themself, their direct
    superior, the supervisor of their unit or HR; the view is in the audit trail before
    the bytes leave. ``not_found`` when the leave has none (or it was purged)."""
    with uows() as uow:
        leave = uow.leaves.get(leave_id)
        owner = uow.employees.get(leave.employee_id)
        if not _may_view(uow, principal, leave, owner):
            raise ForbiddenError("You may not see the documents of this leave.")
        record = uow.leave_files.find_for_leave(leave_id)
        if record is None:
            raise NotFoundError(f"Leave {leave_id} has no document.", leave_id=leave_id)
        data = vault.open(record)
        audit.write(
            uow, actor, "leave.attachment_view", target(owner.employee_id), {"leave_id": leave_id}
        )
        uow.commit()
    return OpenedAttachment(AttachmentInfo.of(record), data)


def with_attachment(uows: UowFactory, leave_ids: list[int]) -> set[int]:
    """Which of ``leave_ids`` have a document (for lists: a link, no bytes)."""
    with uows() as uow:
        return uow.leave_files.leaves_with_attachment(leave_ids)
