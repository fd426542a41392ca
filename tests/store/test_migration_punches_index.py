"""The covering index of a unit's month (migration 0018) on both backends: events of the
previous revision survive the upgrade, PostgreSQL answers a unit's accepted punches from
the index alone (the decision inline, as ``EventRepository.punches`` sends it) and SQLite
searches each employee's range in it, and a
downgrade removes only the index."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from hadir.store.db import alembic_config, make_engine, migrate

from .builders import current_revision, schema_diff
from .conftest import FreshDatabase

REVISION, PREVIOUS = "0018", "0017"
INDEX = "ix_attendance_events_accepted_punches"
UNIT_MONTH = (
    "SELECT employee_id, kind, occurred_at, method, id FROM attendance_events "
    "WHERE occurred_at >= '2025-03-01' AND occurred_at < '2025-04-01' "
    "AND decision = 'accepted' AND employee_id IS NOT NULL AND employee_id IN (1, 2)"
)


def _indexes(conn: Connection) -> set[str]:
    return {i["name"] for i in inspect(conn).get_indexes("attendance_events") if i["name"]}


def _plan(conn: Connection, query: str) -> str:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: force the choice
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        return "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {query}")))
    return "\n".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {query}")))


def test_0018_keeps_events_and_covers_a_units_month(fresh_database: FreshDatabase) -> None:
    from alembic import command

    engine = make_engine(fresh_database())
    try:
        command.upgrade(alembic_config(engine), PREVIOUS)
        with engine.begin() as conn:
            for person in (1, 2, 3):
                conn.execute(
                    text(
                        "INSERT INTO employees (id, employee_id, name, unit, position, active, "
                        "employee_type, grade, echelon, created_at, updated_at) VALUES "
                        "(:i, :e, 'Pegawai', 'Umum', '', true, 'non_asn', '', '', "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"i": person, "e": f"E-{person}"},
                )
            events = [
                (1, 1, "2025-03-03 00:55:00", "accepted"),
                (2, 1, "2025-03-03 01:05:00", "needs_review"),
                (3, 2, "2025-03-03 09:10:00", "accepted"),
                (4, 3, "2025-03-03 01:00:00", "accepted"),
                (5, 2, "2025-04-01 01:00:00", "accepted"),
            ]
            for event, person, at, decision in events:
                conn.execute(
                    text(
                        "INSERT INTO attendance_events (id, employee_id, kind, occurred_at, "
                        "decision, method, created_at) VALUES (:i, :p, 'check_in', :at, :d, "
                        "'verify', CURRENT_TIMESTAMP)"
                    ),
                    {"i": event, "p": person, "at": at, "d": decision},
                )
            assert INDEX not in _indexes(conn)
        migrate(engine)
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        assert current_revision(engine) == head
        assert schema_diff(engine) == []
        if engine.dialect.name == "postgresql":  # statistics and a visibility map, as at volume
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE attendance_events"))
        with engine.begin() as conn:
            assert INDEX in _indexes(conn)
            assert conn.execute(text("SELECT count(*) FROM attendance_events")).scalar() == 5
            plan = _plan(conn, UNIT_MONTH)
            assert INDEX in plan, plan
            if conn.dialect.name == "postgresql":
                assert "Index Only Scan" in plan, plan
            else:  # SQLite searches by it, then reads the row for ``decision``
                assert "employee_id=?" in plan, plan
            assert sorted(r[-1] for r in conn.execute(text(UNIT_MONTH))) == [1, 3]
        command.downgrade(alembic_config(engine), PREVIOUS)
        with engine.connect() as conn:
            assert INDEX not in _indexes(conn)
            assert conn.execute(text("SELECT count(*) FROM attendance_events")).scalar() == 5
    finally:
        engine.dispose()
