"""Writing and reading the audit trail (append-only, hash-chained; ``tables.access.AuditEntry``).

Every admin action and every attendance decision is written here: who (``actor``: a
username, ``system`` or ``anonymous``), what (``action``, e.g. ``employee.update``), on what
(``target``, e.g. ``employee:1987…``), when (the store's clock) and from where (``ip`` in
the detail). Entries are written in the same unit of work as the change they describe, so
a rolled-back change leaves no entry; sign-in failures commit their entry on purpose.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services.access_records import AuditRecord
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EventRecord

SYSTEM = "system"
ANONYMOUS = "anonymous"
_MAX_TEXT = 255


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a username (or ``system``/``cli:<login>``) and, for a request,
    the client's address. Adapters build one and hand it to the use case, which writes it
    into the audit entry of the change."""

    username: str
    ip: str | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(SYSTEM)

    @classmethod
    def cli(cls) -> Actor:
        """The operator running a ``hadir`` command on the server (their login name)."""
        try:
            login = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (some containers)
            login = "unknown"
        return cls(f"cli:{login}")


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def changes(before: object, after: object, fields: Iterable[str]) -> dict[str, object]:
    """``{field: {"before": old, "after": new}}`` for every field in ``fields`` whose value
    differs between the two records (the detail of an ``*.update`` entry)."""
    diff: dict[str, object] = {}
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            diff[name] = {"before": _plain(old), "after": _plain(new)}
    return diff


def write(
    uow: AbstractUnitOfWork,
    actor: Actor,
    action: str,
    target: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditRecord:
    """The entry of a change made by ``actor`` (in the caller's open unit of work, so it
    commits or rolls back with the change)."""
    return record(uow, actor.username, action, target, ip=actor.ip, detail=detail)


def _short(value: str) -> str:
    return value if len(value) <= _MAX_TEXT else value[: _MAX_TEXT - 1] + "…"


def record(
    uow: AbstractUnitOfWork,
    actor: str | None,
    action: str,
    target: str | None = None,
    *,
    ip: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditRecord:
    """Append one entry (committed with the caller's unit of work)."""
    body = dict(detail or {})
    if ip is not None:
        body["ip"] = ip
    return uow.audit.append(
        _short((actor or "").strip() or ANONYMOUS),
        action,
        None if target is None else _short(target),
        body,
    )


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditRecord]
    total: int
    limit: int
    offset: int


def page(uow: AbstractUnitOfWork, *, limit: int = 100, offset: int = 0) -> AuditPage:
    """Entries newest first, with the total count."""
    return AuditPage(uow.audit.list(limit=limit, offset=offset), uow.audit.count(), limit, offset)


def verify(uow: AbstractUnitOfWork) -> int | None:
    """The id of the first entry that breaks the chain, or ``None`` when it is intact
    (the chain must also reach the anchored head: deleting the newest entries counts)."""
    return uow.audit.verify()


def verify_and_mark(uow_factory: UowFactory, *, full: bool = False) -> int | None:
    """Verify from where the chain was last found intact (everything with ``full``) and,
    when it is intact, remember how far it reached, so the next run hashes only the
    entries appended since (``hadir audit verify``: years of entries are not re-hashed
    every night)."""
    with uow_factory() as uow:
        bad = uow.audit.verify(None if full else uow.audit.verified())
        if bad is None:
            uow.audit.mark_verified()
            uow.commit()
        return bad


CHECKPOINT_FORMAT = "hadir-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement "the audit chain had ``entries`` entries, the newest being
    ``head_id`` with ``head_hash``, at ``at``": HMAC-SHA256 with the server's secret key.
    An operator exports it now and then (``hadir audit checkpoint --out FILE``) and keeps
    it elsewhere; whoever later deletes entries and rewrites the database's head row
    cannot make the chain reach it again, and cannot sign a new one without the key."""

    entries: int
    head_id: int
    head_hash: str
    at: datetime
    mac: str = ""

    def payload(self) -> bytes:
        fields = (CHECKPOINT_FORMAT, self.entries, self.head_id, self.head_hash, self.at)
        return "|".join(str(f) for f in fields).encode()

    def signed(self, key: bytes) -> Checkpoint:
        mac = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return replace(self, mac=mac)

    def valid(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signed(key).mac, self.mac)

    def to_json(self) -> str:
        body = {"format": CHECKPOINT_FORMAT, **asdict(self), "at": self.at.isoformat()}
        return json.dumps(body, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        try:
            body = json.loads(text)
            if body.pop("format") != CHECKPOINT_FORMAT:
                raise ValueError("not a Hadir audit checkpoint")
            return cls(
                entries=int(body["entries"]),
                head_id=int(body["head_id"]),
                head_hash=str(body["head_hash"]),
                at=datetime.fromisoformat(str(body["at"])),
                mac=str(body["mac"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DomainValidationError(f"unreadable checkpoint: {exc}") from exc


def make_checkpoint(uow: AbstractUnitOfWork, key: bytes, *, now: datetime) -> Checkpoint:
    """A signed checkpoint of the current head; refused while the chain is broken."""
    with uow:
        bad = uow.audit.verify()
        head = uow.audit.head()
    if bad is not None:
        raise ConflictError(f"the audit chain is broken at entry {bad}; nothing to sign")
    entries, head_id, head_hash = (
        (head.entries, head.head_id, head.head_hash) if head else (0, 0, "")
    )
    return Checkpoint(entries, head_id, head_hash, now).signed(key)


def check_checkpoint(uow: AbstractUnitOfWork, checkpoint: Checkpoint, key: bytes) -> str | None:
    """Why the audit trail does not contain ``checkpoint``, or ``None`` when it does: the
    signature holds, the chain is intact, it still holds the checkpoint's newest entry
    with the same hash and at least as many entries."""
    if not checkpoint.valid(key):
        return "the checkpoint's signature is wrong (edited, or signed with another key)"
    with uow:
        bad = uow.audit.verify()
        head = uow.audit.head()
        entry = uow.audit.get(checkpoint.head_id) if checkpoint.head_id else None
    if bad is not None:
        return f"the audit chain is broken at entry {bad}"
    entries = head.entries if head else 0
    if entries < checkpoint.entries:
        return f"the log holds {entries} entries, fewer than the checkpoint's {checkpoint.entries}"
    if checkpoint.head_id and (entry is None or entry.hash != checkpoint.head_hash):
        return f"entry {checkpoint.head_id} of the checkpoint is missing or changed"
    return None


def record_attendance(
    uow: AbstractUnitOfWork,
    event: EventRecord,
    *,
    actor: Actor | None,
    **extra: object,
) -> AuditRecord:
    """The entry of one attendance decision, accepted or refused (``extra`` adds to its
    detail, e.g. the liveness reason); ``actor`` ``None`` is the system."""
    detail: dict[str, object] = {
        "employee": event.employee_id,
        "decision": event.decision.value,
        "refusal": event.refusal_code,
        "method": event.method.value,
        "similarity": None if event.similarity is None else round(event.similarity, 4),
        "device": event.device,
        **extra,
    }
    return write(
        uow, actor or Actor.system(), f"attendance.{event.kind.value}", f"event:{event.id}", detail
    )
