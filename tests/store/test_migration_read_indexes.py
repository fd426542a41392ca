"""The read indexes of issue 17 (migration 0017) on both backends: events and leave of the
previous revision survive the upgrade, the planner can answer the review queue and the
refused attempts from the partial indexes, and a downgrade removes only the indexes."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from hadir.store.db import alembic_config, make_engine, migrate

from .builders import current_revision, schema_diff
from .conftest import FreshDatabase

REVISION, PREVIOUS = "0017", "0016"
NEW_INDEXES = {
    "attendance_events": {"ix_attendance_events_needs_review", "ix_attendance_events_rejected"},
    "leaves": {"ix_leaves_status_start_date"},
}
REVIEW_QUEUE = (
    "SELECT id FROM attendance_events WHERE decision = 'needs_review' "
    "ORDER BY occurred_at, id LIMIT 200"
)


def _indexes(conn: Connection, table: str) -> set[str]:
    return {i["name"] for i in inspect(conn).get_indexes(table) if i["name"]}


def _plan(conn: Connection, query: str) -> str:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: force the choice
        return "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {query}")))
    return "\n".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {query}")))


def test_0017_keeps_events_and_leave_and_indexes_the_review_queue(
    fresh_database: FreshDatabase,
) -> None:
    from alembic import command

    engine = make_engine(fresh_database())
    try:
        command.upgrade(alembic_config(engine), PREVIOUS)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO employees (id, employee_id, name, unit, position, active, "
                    "employee_type, grade, echelon, created_at, updated_at) VALUES "
                    "(1, 'E-1', 'Pegawai', 'Umum', '', true, 'non_asn', '', '', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            for n, decision in enumerate(("accepted", "needs_review", "rejected"), start=1):
                conn.execute(
                    text(
                        "INSERT INTO attendance_events (id, employee_id, kind, occurred_at, "
                        "decision, method, created_at) VALUES (:i, 1, 'check_in', "
                        "CURRENT_TIMESTAMP, :d, 'verify', CURRENT_TIMESTAMP)"
                    ),
                    {"i": n, "d": decision},
                )
            conn.execute(
                text(
                    "INSERT INTO leaves (id, employee_id, kind, start_date, end_date, status, "
                    "reason, place, created_at) VALUES (7, 1, 'cuti', '2025-03-10', "
                    "'2025-03-11', 'requested', 'cuti tahunan', '', CURRENT_TIMESTAMP)"
                )
            )
            assert not NEW_INDEXES["leaves"] & _indexes(conn, "leaves")
        migrate(engine)
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        assert current_revision(engine) == head
        assert schema_diff(engine) == []
        with engine.begin() as conn:
            for table, names in NEW_INDEXES.items():
                assert names <= _indexes(conn, table), table
            rows = conn.execute(text("SELECT id, decision FROM attendance_events ORDER BY id"))
            assert [tuple(r) for r in rows] == [
                (1, "accepted"),
                (2, "needs_review"),
                (3, "rejected"),
            ]
            assert conn.execute(text("SELECT status FROM leaves")).scalar() == "requested"
            assert "ix_attendance_events_needs_review" in _plan(conn, REVIEW_QUEUE)
            assert [r[0] for r in conn.execute(text(REVIEW_QUEUE))] == [2]
        command.downgrade(alembic_config(engine), PREVIOUS)
        with engine.connect() as conn:
            for table, names in NEW_INDEXES.items():
                assert not names & _indexes(conn, table), table
            assert conn.execute(text("SELECT count(*) FROM attendance_events")).scalar() == 3
    finally:
        engine.dispose()
