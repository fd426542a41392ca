"""The audit chain's anchored head and signed checkpoints (issue 13, finding 5): deleting
the newest entries was reported "intact". Both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from hadir.services import audit
from hadir.store.uow import SqlUnitOfWork

KEY = b"a-server-secret-key-of-32-bytes!"
OTHER_KEY = b"another-servers-secret-key-32by!"
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _append(uow: SqlUnitOfWork, n: int) -> list[int]:
    with uow:
        ids = [uow.audit.append("admin", "employee.update", f"employee:{i}").id for i in range(n)]
        uow.commit()
    return ids


def _sql(engine: Engine, statement: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement))


@pytest.mark.parametrize("dropped", [1, 10])
def test_deleting_the_newest_entries_is_reported(
    uow: SqlUnitOfWork, engine: Engine, dropped: int
) -> None:
    ids = _append(uow, 25)
    with uow:
        assert uow.audit.verify() is None
    _sql(engine, f"DELETE FROM audit_log WHERE id > {ids[-1 - dropped]}")
    with uow:
        assert uow.audit.verify() == ids[-dropped]  # the first missing entry
    # the app writing on afterwards does not hide it
    _append(uow, 3)
    with uow:
        assert uow.audit.verify() is not None


def test_emptying_the_log_or_dropping_the_head_is_reported(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    _append(uow, 4)
    _sql(engine, "DELETE FROM audit_log")
    with uow:
        assert uow.audit.verify() == 1
    _append(uow, 2)
    _sql(engine, "DELETE FROM audit_head")
    with uow:
        assert uow.audit.verify() is not None


def test_a_rewritten_head_is_caught_by_a_signed_checkpoint(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    ids = _append(uow, 12)
    mark = audit.make_checkpoint(uow, KEY, now=NOW)
    assert (mark.entries, mark.head_id) == (12, ids[-1])
    again = audit.Checkpoint.from_json(mark.to_json())
    assert again == mark
    assert audit.check_checkpoint(uow, again, KEY) is None
    _append(uow, 2)  # the log grows: still contains the checkpoint
    assert audit.check_checkpoint(uow, again, KEY) is None
    # someone deletes the newest 10 entries and makes the head row match the rest
    keep = ids[1]
    _sql(engine, f"DELETE FROM audit_log WHERE id > {keep}")
    _sql(
        engine,
        "UPDATE audit_head SET entries = 2, head_id = "
        f"{keep}, head_hash = (SELECT hash FROM audit_log WHERE id = {keep})",
    )
    with uow:
        assert uow.audit.verify() is None  # the database alone cannot tell
    problem = audit.check_checkpoint(uow, again, KEY)
    assert problem is not None and "fewer" in problem
    assert "signature" in (audit.check_checkpoint(uow, again, OTHER_KEY) or "")
    forged = audit.Checkpoint(2, keep, mark.head_hash, NOW, mark.mac)
    assert "signature" in (audit.check_checkpoint(uow, forged, KEY) or "")
