"""Evidence photos (AES-GCM round trip, key and event binding, purge by age), biometric
erasure, own-data export and the audit chain's tamper check; SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from hadir.domain.attendance import AttendanceKind, Leave, LeaveKind, LeaveStatus
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.face.intake import decode_image
from hadir.services import privacy
from hadir.services.audit import Actor
from hadir.services.checkguard import CheckPolicy
from hadir.services.checkin import CheckRequest, check
from hadir.services.evidence import EvidenceKeyError, EvidenceVault, parse_key
from hadir.services.index import TemplateIndexProvider
from hadir.services.records import EventFilter
from services.helpers import POLICY

from .conftest import FixedClock, factory_for, photo, wib
from .helpers import SRI
from .test_checkguard import PhotoEngine, _setup

KEY = bytes(range(32))
WHEN = wib(2025, 3, 3, 7, 50)


def test_key_parsing() -> None:
    assert parse_key(base64.b64encode(KEY).decode()) == KEY
    for bad in (None, "", "not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(EvidenceKeyError):
            parse_key(bad)


def _checked_in_with_evidence(any_db: Engine, faces: Path, vault: EvidenceVault) -> int:
    make = factory_for(any_db)
    engine = PhotoEngine()
    _setup(make, engine)
    image = (faces / "Serena_Williams" / "Serena_Williams_0010.jpg").read_bytes()
    result = check(
        make,
        engine,
        TemplateIndexProvider(make),
        CheckRequest(AttendanceKind.CHECK_IN, image, SRI, actor=Actor("kiosk:lobby", "10.1.1.1")),
        clock=FixedClock(WHEN),
        policy=CheckPolicy(evidence=vault),
    )
    return result.event.id


def test_evidence_round_trip_and_purge_by_age(any_db: Engine, faces: Path) -> None:
    vault = EvidenceVault(KEY, timedelta(days=30), doubtful_only=False)
    event_id = _checked_in_with_evidence(any_db, faces, vault)
    make = factory_for(any_db)
    with make() as uow:
        sealed = uow.evidence.find_for_event(event_id)
    assert sealed is not None
    assert sealed.expires_at == WHEN + timedelta(days=30)
    assert b"JFIF" not in sealed.ciphertext and not sealed.ciphertext.startswith(b"\xff\xd8")
    opened = vault.open(sealed)
    assert opened.startswith(b"\xff\xd8")
    assert max(decode_image(opened).shape[:2]) <= 480
    with pytest.raises(DomainValidationError):  # another key
        EvidenceVault(bytes(32)).open(sealed)
    with pytest.raises(DomainValidationError):  # moved to another event
        vault.open(dataclasses.replace(sealed, event_id=event_id + 1))
    early = privacy.purge(make, now=WHEN + timedelta(days=29))
    assert early.evidence_photos == 0
    late = privacy.purge(make, now=WHEN + timedelta(days=31))
    with make() as uow:
        assert uow.evidence.find_for_event(event_id) is None
        assert uow.audit.list(limit=1)[0].action == "privacy.purge"
    assert late.evidence_photos == 1


def test_purge_scrubs_old_refused_details_and_expired_nonces(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = PhotoEngine()
    _setup(make, engine)
    with pytest.raises(Exception):  # noqa: B017 - a face mismatch, recorded
        check(
            make,
            engine,
            TemplateIndexProvider(make),
            CheckRequest(
                AttendanceKind.CHECK_IN,
                photo("ario"),
                SRI,
                latitude=-6.2,
                longitude=106.8,
                device="hp",
            ),
            clock=FixedClock(WHEN),
            policy=POLICY,
        )
    with make() as uow:
        uow.nonces.consume("a" * 64, "test", WHEN + timedelta(minutes=5))
        uow.commit()
    soon = privacy.purge(make, now=WHEN + timedelta(days=1), refused_detail_days=90)
    assert (soon.refused_details, soon.nonces) == (0, 1)
    later = privacy.purge(make, now=WHEN + timedelta(days=91), refused_detail_days=90)
    with make() as uow:
        refused = uow.events.list()[0]
    assert later.refused_details == 1
    assert (refused.latitude, refused.longitude, refused.device) == (None, None, None)
    assert refused.refusal_code == "face_mismatch"  # the attempt itself stays


def test_erase_biometrics_of_a_deactivated_employee(any_db: Engine, faces: Path) -> None:
    vault = EvidenceVault(KEY, doubtful_only=False)
    _checked_in_with_evidence(any_db, faces, vault)
    make = factory_for(any_db)
    with pytest.raises(ConflictError):
        privacy.erase_biometrics(make, SRI, actor=Actor("admin"))
    with make() as uow:
        employee = uow.employees.get_by_employee_id(SRI)
        uow.employees.update(dataclasses.replace(employee, active=False))
        uow.commit()
    erased = privacy.erase_biometrics(make, SRI, actor=Actor("admin", "10.0.0.1"))
    assert (erased.templates, erased.evidence_photos, erased.image_hashes) == (2, 1, 1)
    with make() as uow:
        assert uow.templates.list_for(employee.id) == []
        assert uow.evidence.count_for(employee.id) == 0
        events = uow.events.list(EventFilter(employee_id=employee.id))
        entry = uow.audit.list(limit=1)[0]
    assert len(events) == 1 and events[0].image_sha256 is None  # history stays
    assert (entry.action, entry.target, entry.detail["ip"]) == (
        "privacy.erase_biometrics",
        f"employee:{SRI}",
        "10.0.0.1",
    )


def test_deleting_an_employee_removes_templates_and_evidence(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = PhotoEngine()
    employee_id = _setup(make, engine)
    with make() as uow:
        uow.employees.delete(employee_id)
        uow.commit()
    with any_db.connect() as conn:
        left = conn.execute(text("select count(*) from face_templates")).scalar_one()
    assert left == 0


def test_export_has_everything_but_vectors(any_db: Engine, faces: Path) -> None:
    vault = EvidenceVault(KEY, doubtful_only=False)
    _checked_in_with_evidence(any_db, faces, vault)
    make = factory_for(any_db)
    with make() as uow:
        employee = uow.employees.get_by_employee_id(SRI)
        day = WHEN.date()
        uow.leaves.add(Leave(employee.id, LeaveKind.SAKIT, day, day, LeaveStatus.REQUESTED))
        uow.commit()
    with make() as uow:
        data = privacy.export_employee(uow, employee.id)
    assert data.employee.employee_id == SRI
    assert [c.what for c in data.consents] == ["face_biometrics"]
    assert data.consents[0].given_at is not None
    assert len(data.leaves) == 1 and len(data.events) == 1
    assert len(data.templates) == 2 and data.evidence_photos == 1
    assert not any(hasattr(t, "embedding") for t in data.templates)


def test_audit_tampering_is_found(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        for i in range(4):
            uow.audit.append("admin", "employee.update", f"employee:{i}", {"n": i})
        uow.commit()
    with make() as uow:
        assert uow.audit.verify() is None
        second = sorted(e.id for e in uow.audit.list())[1]
    with any_db.begin() as conn:
        conn.execute(text("update audit_log set actor = 'mallory' where id = :i"), {"i": second})
    with make() as uow:
        assert uow.audit.verify() == second
