from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from hadir.domain.errors import ErrorCode
from hadir.services import auth
from hadir.services.errors import UnauthorizedError
from hadir.services.records import Role

from .conftest import factory_for

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_password_hash_round_trip_and_salt() -> None:
    stored = auth.hash_password("rahasia-123")
    assert stored.startswith("$argon2id$")
    assert auth.verify_password("rahasia-123", stored)
    assert not auth.verify_password("rahasia-124", stored)
    assert stored != auth.hash_password("rahasia-123")
    assert not auth.verify_password("x", auth.UNUSABLE_PASSWORD)


def test_sign_in_token_authenticates_until_it_expires(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        auth.create_user(uow, "hr", "kata-sandi", Role.OPERATOR, unit="Umum")
        uow.commit()
    with make() as uow:
        issued = auth.sign_in(uow, "hr", "kata-sandi", now=NOW)
        uow.commit()
    assert issued.token.startswith(auth.TOKEN_PREFIX)
    assert issued.record.token_hash == auth.token_hash(issued.token)
    with make() as uow:
        who = auth.authenticate(uow, issued.token, now=NOW + timedelta(hours=1))
    assert (who.username, who.role, who.unit) == ("hr", Role.OPERATOR, "Umum")
    with make() as uow, pytest.raises(UnauthorizedError) as info:
        auth.authenticate(uow, issued.token, now=NOW + timedelta(hours=13))
    assert info.value.code is ErrorCode.UNAUTHORIZED


def test_wrong_password_and_unknown_user_look_the_same(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        auth.create_user(uow, "admin", "benar", Role.ADMIN)
        uow.commit()
    messages = set()
    for username, password in (("admin", "salah"), ("nobody", "benar")):
        with make() as uow, pytest.raises(UnauthorizedError) as info:
            auth.sign_in(uow, username, password, now=NOW)
        messages.add(info.value.message)
    assert len(messages) == 1


def test_service_token_reuses_its_user_and_can_be_revoked(any_db: Engine) -> None:
    make = factory_for(any_db)
    with make() as uow:
        first = auth.issue_service_token(uow, Role.KIOSK, "pintu-depan", now=NOW)
        second = auth.issue_service_token(uow, Role.KIOSK, "pintu-depan", now=NOW)
        uow.commit()
    assert first.record.user_id == second.record.user_id
    assert first.token != second.token
    with make() as uow:
        assert auth.authenticate(uow, first.token, now=NOW).role is Role.KIOSK
        uow.tokens.revoke(first.record.id)
        uow.commit()
    with make() as uow, pytest.raises(UnauthorizedError):
        auth.authenticate(uow, first.token, now=NOW)
    with make() as uow, pytest.raises(UnauthorizedError):
        auth.authenticate(uow, "hdr_not-a-token", now=NOW)
