"""Incremental audit verification (issue 17): ``hadir audit verify`` hashes only what was
appended since the chain was last found intact, and still notices a deleted or altered
entry in the part it skips (by count and by the last verified hash). Both backends."""

from __future__ import annotations

from sqlalchemy import Engine, text

from hadir.services import audit
from hadir.store.uow import SqlUnitOfWork


def _append(uow: SqlUnitOfWork, n: int, start: int = 0) -> list[int]:
    with uow:
        ids = [
            uow.audit.append("admin", "employee.update", f"employee:{i}").id
            for i in range(start, start + n)
        ]
        uow.commit()
    return ids


def _sql(engine: Engine, statement: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement))


def test_verification_starts_where_it_last_found_the_chain_intact(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    first = _append(uow, 30)
    assert audit.verify_and_mark(lambda: uow) is None
    with uow:
        mark = uow.audit.verified()
    assert mark is not None and (mark.entries, mark.head_id) == (30, first[-1])
    later = _append(uow, 5, start=30)
    assert audit.verify_and_mark(lambda: uow) is None
    with uow:
        mark = uow.audit.verified()
    assert mark is not None and (mark.entries, mark.head_id) == (35, later[-1])
    # an entry appended after the mark and then altered is caught incrementally
    extra = _append(uow, 3, start=35)
    _sql(engine, f"UPDATE audit_log SET actor = 'mallory' WHERE id = {extra[1]}")
    assert audit.verify_and_mark(lambda: uow) == extra[1]
    with uow:  # a broken chain moves no mark
        assert uow.audit.verified() == mark


def test_the_skipped_part_is_still_guarded(uow: SqlUnitOfWork, engine: Engine) -> None:
    ids = _append(uow, 20)
    assert audit.verify_and_mark(lambda: uow) is None
    _append(uow, 2, start=20)
    # rewriting an old entry in place is invisible to an incremental run that trusts the
    # verified part, but a full run catches it
    _sql(engine, f"UPDATE audit_log SET target = 'employee:x' WHERE id = {ids[3]}")
    assert audit.verify_and_mark(lambda: uow) is None
    assert audit.verify_and_mark(lambda: uow, full=True) == ids[3]
    # deleting an old entry changes the verified part's count: caught incrementally
    _sql(engine, f"DELETE FROM audit_log WHERE id = {ids[5]}")
    with uow:
        mark = uow.audit.verified()
    assert mark is not None
    assert audit.verify_and_mark(lambda: uow) == mark.head_id
