"""The document of a sick leave (a doctor's note), on SQLite and PostgreSQL: encrypted at
rest, typed by its bytes, capped in size, seen only by the employee, their superior and
HR (audited), purged after its retention and erased with the employee's data."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from hadir.domain.attendance import LeaveKind, LeavePolicy
from hadir.domain.errors import ConflictError, DomainValidationError, ErrorCode, NotFoundError
from hadir.services import privacy
from hadir.services.audit import Actor
from hadir.services.auth import Principal
from hadir.services.errors import ForbiddenError
from hadir.services.leave import request_leave
from hadir.services.leave_files import (
    AttachmentError,
    AttachmentVault,
    attach_leave_file,
    derive_key,
    open_leave_file,
    sniff,
    with_attachment,
)
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import NewEmployee, Role
from hadir.store.db import make_session_factory
from hadir.store.uow import SqlUnitOfWork

from .conftest import FixedClock

KEPALA = "197001011995031001"
STAF = "199001012015011003"
LAIN = "198502022010012004"
WHEN = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
VAULT = AttachmentVault(derive_key(b"a server secret of enough length"), max_bytes=4096)
NOTE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nSurat keterangan sakit\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)


def _uows(engine: Engine) -> UowFactory:
    sessions = make_session_factory(engine)

    def make() -> AbstractUnitOfWork:
        return SqlUnitOfWork(sessions, clock=FixedClock(WHEN))

    return make


def _who(role: Role, employee_id: int | None = None, unit: str | None = None) -> Principal:
    return Principal(user_id=1, username=role.value, role=role, employee_id=employee_id, unit=unit)


def _setup(uows: UowFactory) -> tuple[int, int, int, int]:
    """Head, staff, another employee of another unit, and the staff's sick leave."""
    with uows() as uow:
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala", unit="Bidang A"))
        staff = uow.employees.add(NewEmployee(STAF, "Staf", unit="Bidang A", superior_id=head.id))
        other = uow.employees.add(NewEmployee(LAIN, "Lain", unit="Bidang B"))
        uow.commit()
    entry = request_leave(
        uows,
        STAF,
        LeaveKind.SAKIT,
        date(2025, 3, 3),
        date(2025, 3, 4),
        reason="demam",
        actor=Actor(STAF),
        today=date(2025, 3, 3),
        policy=LeavePolicy(),
    )
    return head.id, staff.id, other.id, entry.leave.id


def test_types_are_read_from_the_bytes() -> None:
    assert [sniff(NOTE), sniff(PNG), sniff(JPEG)] == ["application/pdf", "image/png", "image/jpeg"]
    assert sniff(b"GIF89a....") is None
    assert sniff(b"MZ\x90\x00 pretending to be a .pdf") is None


def test_sealed_at_rest_and_opened_for_the_right_people(any_db: Engine) -> None:
    uows = _uows(any_db)
    head, staff, other, leave_id = _setup(uows)
    info = attach_leave_file(
        uows, VAULT, leave_id, NOTE, principal=_who(Role.EMPLOYEE, staff), actor=Actor(STAF)
    )
    assert (info.content_type, info.size) == ("application/pdf", len(NOTE))
    assert info.sha256 == hashlib.sha256(NOTE).hexdigest()
    assert info.filename == f"leave-{leave_id}.pdf"
    with any_db.connect() as conn:
        stored = conn.execute(
            text("SELECT ciphertext, nonce FROM leave_attachments WHERE leave_id = :l"),
            {"l": leave_id},
        ).one()
    ciphertext = bytes(stored.ciphertext)
    assert NOTE not in ciphertext and b"%PDF" not in ciphertext and b"sakit" not in ciphertext
    assert len(bytes(stored.nonce)) == 12
    for viewer in (
        _who(Role.EMPLOYEE, staff),  # themself
        _who(Role.EMPLOYEE, head),  # direct superior
        _who(Role.OPERATOR),  # HR
        _who(Role.ADMIN),
        _who(Role.SUPERVISOR, unit="Bidang A"),  # decides leave of the unit
    ):
        opened = open_leave_file(uows, VAULT, leave_id, principal=viewer, actor=Actor("x"))
        assert opened.data == NOTE
    for stranger in (
        _who(Role.EMPLOYEE, other),
        _who(Role.SUPERVISOR, unit="Bidang B"),
        _who(Role.KIOSK),
    ):
        with pytest.raises(ForbiddenError):
            open_leave_file(uows, VAULT, leave_id, principal=stranger, actor=Actor("x"))
    with uows() as uow:
        actions = [e.action for e in uow.audit.list(limit=10)]
        record = uow.leave_files.find_for_leave(leave_id)
    assert actions.count("leave.attachment_view") == 5
    assert "leave.attach" in actions
    assert record is not None
    with pytest.raises(DomainValidationError):  # another key
        AttachmentVault(bytes(32)).open(record)
    with pytest.raises(DomainValidationError):  # moved onto another leave
        VAULT.open(dataclasses.replace(record, leave_id=leave_id + 1))
    assert with_attachment(uows, [leave_id, leave_id + 1]) == {leave_id}


def test_refused_documents_and_attachers(any_db: Engine) -> None:
    uows = _uows(any_db)
    head, staff, other, leave_id = _setup(uows)
    me = _who(Role.EMPLOYEE, staff)
    with pytest.raises(AttachmentError) as too_big:
        attach_leave_file(
            uows, VAULT, leave_id, NOTE + bytes(5000), principal=me, actor=Actor(STAF)
        )
    assert too_big.value.code is ErrorCode.ATTACHMENT_TOO_LARGE
    assert "MB" in too_big.value.message
    with pytest.raises(AttachmentError) as wrong:
        attach_leave_file(
            uows, VAULT, leave_id, b"GIF89a" + bytes(20), principal=me, actor=Actor(STAF)
        )
    assert wrong.value.code is ErrorCode.ATTACHMENT_TYPE_UNSUPPORTED
    with pytest.raises(ForbiddenError):  # not their leave (even the superior)
        attach_leave_file(
            uows, VAULT, leave_id, PNG, principal=_who(Role.EMPLOYEE, head), actor=Actor(KEPALA)
        )
    with pytest.raises(NotFoundError):
        open_leave_file(uows, VAULT, leave_id, principal=me, actor=Actor(STAF))
    attach_leave_file(uows, VAULT, leave_id, PNG, principal=_who(Role.OPERATOR), actor=Actor("hr"))
    with pytest.raises(ConflictError):
        attach_leave_file(uows, VAULT, leave_id, JPEG, principal=me, actor=Actor(STAF))
    with pytest.raises(NotFoundError):
        attach_leave_file(uows, VAULT, leave_id + 99, JPEG, principal=me, actor=Actor(STAF))
    with uows() as uow:
        assert uow.leave_files.count_for(staff) == 1
        assert uow.leave_files.count_for(other) == 0


def test_purged_after_its_retention(any_db: Engine) -> None:
    uows = _uows(any_db)
    _, staff, _, leave_id = _setup(uows)
    attach_leave_file(
        uows, VAULT, leave_id, JPEG, principal=_who(Role.EMPLOYEE, staff), actor=Actor(STAF)
    )
    early = privacy.purge(uows, now=WHEN + timedelta(days=364), attachment_days=365)
    assert early.leave_attachments == 0
    assert with_attachment(uows, [leave_id]) == {leave_id}
    late = privacy.purge(uows, now=WHEN + timedelta(days=366), attachment_days=365)
    assert late.leave_attachments == 1
    assert with_attachment(uows, [leave_id]) == set()
    with uows() as uow:
        assert uow.leaves.get(leave_id).id == leave_id  # the leave itself stays
        assert uow.audit.list(limit=1)[0].detail["leave_attachments"] == 1


def test_erased_with_the_employees_data(any_db: Engine) -> None:
    uows = _uows(any_db)
    _, staff, _, leave_id = _setup(uows)
    attach_leave_file(
        uows, VAULT, leave_id, NOTE, principal=_who(Role.EMPLOYEE, staff), actor=Actor(STAF)
    )
    with uows() as uow:
        assert privacy.export_employee(uow, staff).leave_attachments == 1
        uow.employees.update(dataclasses.replace(uow.employees.get(staff), active=False))
        uow.commit()
    erased = privacy.erase_biometrics(uows, STAF, actor=Actor("admin"))
    assert erased.leave_attachments == 1
    assert with_attachment(uows, [leave_id]) == set()
