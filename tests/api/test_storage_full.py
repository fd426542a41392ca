"""A full disk (issue 17): SQLite refuses to grow, the server answers a clear error with a
stable code, nothing is half-written, and the same request succeeds once space is back.

The disk is "filled" with SQLite's own ``PRAGMA max_page_count`` set to the database's
current size on every connection: writes that need one more page fail with SQLITE_FULL,
exactly as on a full filesystem, without mounting anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from api.conftest import Api, make_api
from api.test_attendance_api import post_check, seed
from hadir.services.records import Role
from services.conftest import NOW, FakeFaceEngine, FixedClock, photo
from services.helpers import SRI


def _counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return (
            int(conn.execute(text("SELECT count(*) FROM attendance_events")).scalar_one()),
            int(conn.execute(text("SELECT count(*) FROM employees")).scalar_one()),
            int(conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()),
        )


@contextmanager
def disk_full(engine: Engine) -> Iterator[None]:
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        pages = int(conn.execute(text("PRAGMA page_count")).scalar_one())

    def cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", cap)
    engine.dispose()  # every new connection gets the cap
    try:
        yield
    finally:
        event.remove(engine, "connect", cap)
        engine.dispose()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The fake-engine app without rate limits (the test sends many check-ins)."""
    yield from make_api(tmp_path, FakeFaceEngine(), FixedClock(NOW), rate_limits=False)


def test_full_disk_refuses_cleanly_and_recovers(api: Api) -> None:
    operator, kiosk, admin = (api.token(r) for r in (Role.OPERATOR, Role.KIOSK, Role.ADMIN))
    seed(api, operator)
    engine = api.database.engine
    with disk_full(engine):
        # Writes fit while the file's last pages have room; keep checking in until one
        # needs a page the disk does not have. Each answer is all or nothing.
        for i in range(300):
            before = _counts(engine)
            crid = f"req-{i}"
            answer = post_check(
                api, kiosk, photo("sri", seed=100 + i), employee_id=SRI, client_request_id=crid
            )
            if answer.status_code == 201:
                assert _counts(engine)[0] == before[0] + 1
                continue
            assert answer.status_code == 507, answer.text
            assert answer.json()["error"]["code"] == "storage_full"
            assert _counts(engine) == before  # no event, no audit entry
            break
        else:
            raise AssertionError("the capped database never filled up")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    # space is back: the same request is stored once, and its retry answers the same event
    first = post_check(
        api, kiosk, photo("sri", seed=100 + i), employee_id=SRI, client_request_id=crid
    )
    assert first.status_code == 201, first.text
    again = post_check(
        api, kiosk, photo("sri", seed=100 + i), employee_id=SRI, client_request_id=crid
    )
    assert again.status_code == 200
    assert again.json()["event_id"] == first.json()["event_id"]
    assert _counts(engine)[0] == before[0] + 1
    verify = api.client.get("/api/v1/audit/verify", headers=admin)
    assert verify.status_code == 200
    assert verify.json()["intact"] is True
