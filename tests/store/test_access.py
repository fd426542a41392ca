"""Users, API tokens and the hash-chained audit log."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.exc import IntegrityError

from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services.records import Role
from hadir.store.repositories import GENESIS_HASH
from hadir.store.types import UtcDateTime
from hadir.store.uow import SqlUnitOfWork

from .builders import new_employee, utc


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_users_and_tokens(uow: SqlUnitOfWork) -> None:
    with uow:
        employee = uow.employees.add(new_employee(1)).id
        admin = uow.users.add("admin", "argon2$...", Role.ADMIN)
        kiosk = uow.users.add("kiosk-lobby", "x", Role.KIOSK, employee_id=employee)
        with pytest.raises(ConflictError, match="admin"):
            uow.users.add("admin", "y", Role.OPERATOR)
        with pytest.raises(NotFoundError):
            uow.users.add("ghost", "y", Role.EMPLOYEE, employee_id=999)
        token = uow.tokens.add(
            kiosk.id, "lobby tablet", _hash("secret"), Role.KIOSK, expires_at=utc(2030, 1, 1)
        )
        with pytest.raises(ConflictError):
            uow.tokens.add(admin.id, "copy", _hash("secret"), Role.ADMIN)
        with pytest.raises(DomainValidationError):
            uow.tokens.add(admin.id, "bad", "not-a-hash", Role.ADMIN)
        uow.commit()

    with uow:
        assert uow.users.get_by_username("kiosk-lobby") == kiosk
        assert [u.username for u in uow.users.list()] == ["admin", "kiosk-lobby"]
        assert not uow.users.set_active(admin.id, False).active
        found = uow.tokens.find_by_hash(_hash("secret"))
        assert found == token
        assert found.usable_at(utc(2029, 12, 31))
        assert not found.usable_at(utc(2030, 1, 1))
        assert uow.tokens.find_by_hash(_hash("nope")) is None
        uow.tokens.touch(token.id)
        revoked = uow.tokens.revoke(token.id)
        assert revoked.last_used_at is not None and not revoked.usable_at(utc(2026, 1, 1))
        assert uow.tokens.revoke(token.id).revoked_at == revoked.revoked_at
        uow.commit()
    with uow:
        with pytest.raises(NotFoundError):
            uow.users.get_by_username("nobody")
        assert uow.tokens.list_for(kiosk.id) == [revoked]


def test_audit_log_is_a_hash_chain(uow: SqlUnitOfWork, engine: Engine) -> None:
    with uow:
        first = uow.audit.append("admin", "employee.create", "employee:1", {"nip": "1980"})
        uow.audit.append("admin", "employee.update", "employee:1", {"at": utc(2025, 1, 1)})
        uow.commit()
    with uow:
        third = uow.audit.append("supervisor", "event.review", None, {"decision": "accepted"})
        uow.commit()
    assert first.prev_hash == GENESIS_HASH
    with uow:
        entries = uow.audit.list()
        assert [e.action for e in entries] == ["event.review", "employee.update", "employee.create"]
        assert entries[0] == third
        assert entries[1].detail == {"at": "2025-01-01 00:00:00+00:00"}
        assert entries[0].prev_hash == entries[1].hash
        assert uow.audit.verify() is None

    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET detail = :d WHERE id = :i"),
            {"d": '{"decision": "rejected"}', "i": third.id},
        )
    with uow:
        assert uow.audit.verify() == third.id


def test_audit_chain_cannot_fork_or_be_extended_behind_its_back(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    with uow:
        first = uow.audit.append("admin", "first")
        uow.commit()
    insert = text(
        "INSERT INTO audit_log (at, actor, action, detail, prev_hash, hash) "
        "VALUES (:at, 'x', 'forged', '{}', :prev, :hash)"
    ).bindparams(bindparam("at", type_=UtcDateTime()))
    # a second entry claiming the same predecessor (a fork) is refused by the database
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"at": utc(2025, 1, 1), "prev": GENESIS_HASH, "hash": "e" * 64})
    # an entry appended without the right hash is spotted by verify
    with engine.begin() as conn:
        conn.execute(insert, {"at": utc(2025, 1, 1), "prev": first.hash, "hash": "f" * 64})
        forged = conn.execute(text("SELECT id FROM audit_log WHERE action = 'forged'")).scalar()
    with uow:
        assert uow.audit.verify() == forged
