"""Argon2 with scrypt rehash, lockout (also under concurrent attempts), token expiry and
revocation, audit of sign-in outcomes; SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from hadir.domain.errors import ErrorCode, HadirError, NotFoundError
from hadir.services import auth
from hadir.services.audit import Actor
from hadir.services.errors import UnauthorizedError
from hadir.services.records import Role

from .conftest import UowFactory, factory_for

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
FAST = auth.SignInPolicy(max_failures=3, lock_for=timedelta(minutes=10))


def legacy_scrypt(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


def test_argon2_and_legacy_scrypt_verify() -> None:
    stored = auth.hash_password("kata-sandi")
    assert stored.startswith("$argon2id$")
    assert auth.verify_password("kata-sandi", stored)
    assert not auth.verify_password("kata-sandix", stored)
    assert not auth.needs_rehash(stored)
    old = legacy_scrypt("kata-sandi")
    assert auth.verify_password("kata-sandi", old)
    assert not auth.verify_password("salah", old)
    assert auth.needs_rehash(old)
    for broken in ("", "scrypt$x", "$argon2id$garbage", "plain"):
        assert not auth.verify_password("kata-sandi", broken)


def test_scrypt_hash_is_replaced_by_argon2_at_sign_in(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        user = uow.users.add("lama", legacy_scrypt("kata-sandi"), Role.OPERATOR)
        uow.commit()
    with make() as uow:
        auth.sign_in(uow, "lama", "kata-sandi", now=NOW)
        uow.commit()
    with make() as uow:
        stored = uow.users.get(user.id).password_hash
        actions = [e.action for e in uow.audit.list()]
    assert stored.startswith("$argon2id$")
    assert auth.verify_password("kata-sandi", stored)
    assert "auth.sign_in" in actions


def _sign_in(make: object, password: str, at: datetime) -> HadirError | None:
    with make() as uow:  # type: ignore[operator]
        try:
            auth.sign_in(uow, "hr", password, now=at, policy=FAST, ip="10.0.0.9")
            uow.commit()
        except HadirError as exc:
            return exc
    return None


def test_lockout_after_n_failures_then_it_expires(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        auth.create_user(uow, "hr", "benar", Role.OPERATOR)
        uow.commit()
    codes = [_sign_in(make, "salah", NOW) for _ in range(3)]
    assert [c.code for c in codes if c] == [
        ErrorCode.UNAUTHORIZED,
        ErrorCode.UNAUTHORIZED,
        ErrorCode.ACCOUNT_LOCKED,
    ]
    locked = _sign_in(make, "benar", NOW + timedelta(minutes=5))
    assert locked is not None and locked.code is ErrorCode.ACCOUNT_LOCKED
    assert _sign_in(make, "benar", NOW + timedelta(minutes=11)) is None
    with make() as uow:
        user = uow.users.get_by_username("hr")
        entries = [(e.action, e.detail.get("ip")) for e in reversed(uow.audit.list())]
        assert uow.audit.verify() is None
    assert user.failed_logins == 0 and not user.locked_at(NOW + timedelta(minutes=11))
    actions = [a for a, _ in entries]
    assert actions.count("auth.sign_in_failed") == 2
    assert actions.count("auth.lockout") == 1
    assert actions.count("auth.sign_in_locked") == 1
    assert actions[-2:] == ["auth.sign_in", "token.issue"]
    assert ("auth.lockout", "10.0.0.9") in entries


def test_success_resets_the_count_and_admin_can_unlock(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        auth.create_user(uow, "hr", "benar", Role.OPERATOR)
        uow.commit()
    _sign_in(make, "salah", NOW)
    _sign_in(make, "salah", NOW)
    assert _sign_in(make, "benar", NOW) is None  # two failures forgotten
    _sign_in(make, "salah", NOW)
    assert _sign_in(make, "salah", NOW).code is ErrorCode.UNAUTHORIZED  # type: ignore[union-attr]
    assert _sign_in(make, "salah", NOW).code is ErrorCode.ACCOUNT_LOCKED  # type: ignore[union-attr]
    assert _sign_in(make, "benar", NOW).code is ErrorCode.ACCOUNT_LOCKED  # type: ignore[union-attr]
    auth.unlock(make, "hr", actor=Actor("admin"))
    assert _sign_in(make, "benar", NOW) is None


def _wrong_passwords_at_once(
    make: UowFactory, policy: auth.SignInPolicy, attempts: int, workers: int
) -> list[str]:
    """``attempts`` wrong passwords for a new user "hr" from ``workers`` threads; the
    error code of each (or "ok")."""
    with make() as uow:
        auth.create_user(uow, "hr", "benar", Role.OPERATOR)
        uow.commit()

    def attempt(_: int) -> str:
        with make() as uow:
            try:
                auth.sign_in(uow, "hr", "salah", now=NOW, policy=policy)
            except HadirError as exc:
                return exc.code.value
        return "ok"

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(attempt, range(attempts)))


def test_concurrent_wrong_passwords_are_all_counted(any_db: Engine) -> None:
    make = factory_for(any_db)
    policy = auth.SignInPolicy(max_failures=1000, lock_for=timedelta(minutes=10))
    results = _wrong_passwords_at_once(make, policy, attempts=12, workers=6)
    assert results == ["unauthorized"] * 12
    with make() as uow:
        assert uow.users.get_by_username("hr").failed_logins == 12
        assert uow.audit.verify() is None
        assert len(uow.audit.list(limit=100)) == 13  # user.create + 12 failures


def test_concurrent_attempts_lock_exactly_once(any_db: Engine) -> None:
    results = _wrong_passwords_at_once(factory_for(any_db), FAST, attempts=3, workers=3)
    assert sorted(results) == ["account_locked", "unauthorized", "unauthorized"]
    with any_db.connect() as conn:
        lockouts = conn.execute(
            text("select count(*) from audit_log where action = 'auth.lockout'")
        ).scalar_one()
    assert lockouts == 1


def test_every_token_expires_and_can_be_listed_and_revoked(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        alice = auth.create_user(uow, "alice", None, Role.OPERATOR)
        bob = auth.create_user(uow, "bob", None, Role.EMPLOYEE)
        mine = auth.issue_token(uow, alice, "laptop", now=NOW)
        theirs = auth.issue_token(uow, bob, "phone", now=NOW, expires_in=timedelta(hours=1))
        kiosk = auth.issue_service_token(uow, Role.KIOSK, "lobby", now=NOW)
        uow.commit()
    assert mine.record.expires_at == NOW + auth.DEFAULT_TOKEN_LIFETIME
    assert kiosk.record.expires_at == NOW + auth.DEFAULT_TOKEN_LIFETIME
    assert theirs.record.expires_at == NOW + timedelta(hours=1)
    with make() as uow:
        me = auth.authenticate(uow, mine.token, now=NOW)
        assert [t.name for t in auth.list_tokens(uow, me.user_id)] == ["laptop"]
    with pytest.raises(NotFoundError):  # someone else's token is not revealed
        auth.revoke_token(make, me, theirs.record.id, actor=Actor("alice"))
    auth.revoke_token(make, me, mine.record.id, actor=Actor("alice"))
    with make() as uow, pytest.raises(UnauthorizedError):
        auth.authenticate(uow, mine.token, now=NOW)
    with make() as uow, pytest.raises(UnauthorizedError):
        auth.authenticate(uow, kiosk.token, now=NOW + timedelta(days=91))
    admin = auth.Principal(0, "root", Role.ADMIN, None, None)
    auth.revoke_token(make, admin, theirs.record.id, actor=Actor("root"))
    with make() as uow:
        assert [e.action for e in uow.audit.list(limit=2)] == ["token.revoke", "token.revoke"]
