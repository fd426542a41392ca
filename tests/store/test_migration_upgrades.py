"""Each data-carrying migration on both backends: rows written at the previous revision
survive the upgrade with the meaning the new schema gives them (the schema-level checks
are in test_migrations.py)."""

from __future__ import annotations

from datetime import time

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

from hadir.store.db import alembic_config, make_engine, make_session_factory, migrate
from hadir.store.uow import SqlUnitOfWork

from .builders import current_revision, schema_diff
from .conftest import FreshDatabase


def _add_employee(conn: Connection, number: int, *, name: str = "Pegawai", unit: str = "") -> None:
    """An employee row as the schema has it from 0006 on (typed, graded)."""
    conn.execute(
        text(
            "INSERT INTO employees (id, employee_id, name, unit, position, active, "
            "employee_type, grade, echelon, created_at, updated_at) VALUES "
            "(:i, :n, :name, :unit, '', true, 'non_asn', '', '', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"i": number, "n": f"E-{number}", "name": name, "unit": unit},
    )


def test_0006_types_existing_employees_and_keeps_every_number(
    fresh_database: FreshDatabase,
) -> None:
    """Upgrade a 0005 database holding a valid NIP, one typed with spaces (and its
    account), a PPPK NIP, an invalid 18-digit number and a short number: nothing is lost,
    the NIP with spaces becomes its 18 digits (account too), the rest keep their numbers."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0005")
        numbers = {
            "198503152010011001": "pns",
            "19850315 201001 2 002": "pns",
            "199001012021211003": "pppk",
            "198001010000000001": "non_asn",
            "E-17": "non_asn",
        }
        with engine.begin() as conn:
            for n, number in enumerate(numbers, start=1):
                conn.execute(
                    text(
                        "INSERT INTO employees (id, employee_id, name, unit, position, active, "
                        "created_at, updated_at) VALUES (:i, :n, :name, 'Umum', '', true, "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"i": n, "n": number, "name": f"Pegawai {n}"},
                )
            conn.execute(
                text(
                    "INSERT INTO users (username, password_hash, role, employee_id, active, "
                    "created_at) VALUES ('19850315 201001 2 002', 'x', 'employee', 2, true, "
                    "CURRENT_TIMESTAMP)"
                )
            )
        migrate(engine)
        assert schema_diff(engine) == []
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, employee_id, employee_type, grade FROM employees ORDER BY id")
            ).all()
            username = conn.execute(text("SELECT username FROM users")).scalar()
        stored = [
            number.replace(" ", "") if n == 2 else number for n, number in enumerate(numbers, 1)
        ]
        assert [r.employee_id for r in rows] == stored
        assert [r.employee_type for r in rows] == list(numbers.values())
        assert {r.grade for r in rows} == {""}
        assert username == "198503152010012002"
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:  # the old numbers still load as records
            assert uow.employees.get_by_employee_id("198001010000000001").employee_type.value == (
                "non_asn"
            )
        command.downgrade(alembic_config(engine), "0005")
        with engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM employees")).scalar()
        assert count == len(numbers)
    finally:
        engine.dispose()


def test_0009_keeps_accounts_and_marks_none_for_a_change(fresh_database: FreshDatabase) -> None:
    """Accounts of a 0008 database survive 0009 with no forced password change."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0008")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (username, password_hash, role, active, created_at) "
                    "VALUES ('hr', 'x', 'operator', true, CURRENT_TIMESTAMP)"
                )
            )
        migrate(engine)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT username, must_change_password FROM users")).one()
        assert (row.username, bool(row.must_change_password)) == ("hr", False)
        command.downgrade(alembic_config(engine), "0008")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT username FROM users")).scalar() == "hr"
    finally:
        engine.dispose()


def test_0010_makes_units_of_the_existing_unit_texts(fresh_database: FreshDatabase) -> None:
    """Employees of a 0009 database keep their unit text; each distinct non-blank text
    becomes a unit of the tree and its employees are linked to it; down again, nothing
    of the employees is lost."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0009")
        units = ["Bappeda", "Keuangan", "", "Bappeda", "Bidang P2P"]
        with engine.begin() as conn:
            for n, unit in enumerate(units, start=1):
                _add_employee(conn, n, name=f"Pegawai {n}", unit=unit)
        migrate(engine)
        assert schema_diff(engine) == []
        with engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM units ORDER BY name")).scalars().all()
            linked = conn.execute(
                text(
                    "SELECT e.unit, u.name FROM employees e LEFT JOIN units u "
                    "ON u.id = e.unit_id ORDER BY e.id"
                )
            ).all()
        assert names == ["Bappeda", "Bidang P2P", "Keuangan"]
        assert [tuple(r) for r in linked] == [
            ("Bappeda", "Bappeda"),
            ("Keuangan", "Keuangan"),
            ("", None),
            ("Bappeda", "Bappeda"),
            ("Bidang P2P", "Bidang P2P"),
        ]
        command.downgrade(alembic_config(engine), "0009")
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT unit FROM employees ORDER BY id")).scalars().all()
        assert kept == units
    finally:
        engine.dispose()


def test_0011_keeps_schedules_with_no_weekday_hours(fresh_database: FreshDatabase) -> None:
    """A schedule of a 0010 database survives 0011 unchanged (no weekday of its own)."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0010")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO work_schedules (scope_key, working_days, start_time, end_time, "
                    "grace_minutes, timezone) VALUES ('global', 31, '07:30:00', '16:00:00', 5, "
                    "'Asia/Jakarta')"
                )
            )
        migrate(engine)
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            schedule = uow.schedules.resolve()
        assert (schedule.start, schedule.grace_minutes, schedule.weekday_hours) == (
            time(7, 30),
            5,
            (),
        )
        command.downgrade(alembic_config(engine), "0010")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM work_schedules")).scalar() == 1
    finally:
        engine.dispose()


def test_0013_adds_an_empty_roster_and_keeps_employees(fresh_database: FreshDatabase) -> None:
    """A 0012 database gains the shifts and the roster (empty) without losing its staff;
    down again, the staff stay."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0012")
        with engine.begin() as conn:
            _add_employee(conn, 1, name="Perawat", unit="RSUD")
        migrate(engine)
        assert schema_diff(engine) == []
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM shift_assignments")).scalar() == 0
            assert conn.execute(text("SELECT name FROM employees")).scalar() == "Perawat"
        command.downgrade(alembic_config(engine), "0012")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM employees")).scalar() == 1
            assert "shifts" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_0014_keeps_events_without_a_face_fingerprint(fresh_database: FreshDatabase) -> None:
    """Events of a 0013 database survive 0014 with no face fingerprint (nothing to compare
    a later probe against), and a downgrade keeps them."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0013")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO attendance_events (kind, occurred_at, decision, method, "
                    "image_phash, created_at) VALUES ('check_in', CURRENT_TIMESTAMP, "
                    "'accepted', 'verify', '00ff00ff00ff00ff', CURRENT_TIMESTAMP)"
                )
            )
        migrate(engine)
        assert (
            current_revision(engine)
            == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        )
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT image_phash, face_fingerprint FROM attendance_events")
            ).one()
        assert (row.image_phash, row.face_fingerprint) == ("00ff00ff00ff00ff", None)
        command.downgrade(alembic_config(engine), "0013")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT image_phash FROM attendance_events")).scalar() == (
                "00ff00ff00ff00ff"
            )
            assert "face_fingerprint" not in {
                c["name"] for c in inspect(conn).get_columns("attendance_events")
            }
    finally:
        engine.dispose()


def test_0015_keeps_leave_and_adds_place_and_endorsement(fresh_database: FreshDatabase) -> None:
    """Leave of a 0014 database survives 0015 (no place, not endorsed) and downgrading
    turns an endorsed leave back into a request."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0014")
        with engine.begin() as conn:
            _add_employee(conn, 1)
            conn.execute(
                text(
                    "INSERT INTO leaves (employee_id, kind, start_date, end_date, status, "
                    "reason, created_at) VALUES (1, 'dinas_luar', '2025-03-10', '2025-03-11', "
                    "'approved', 'rapat', CURRENT_TIMESTAMP)"
                )
            )
        migrate(engine)
        assert schema_diff(engine) == []
        with engine.begin() as conn:
            row = conn.execute(
                text("SELECT kind, status, reason, place, endorsed_by FROM leaves")
            ).one()
            assert tuple(row) == ("dinas_luar", "approved", "rapat", "", None)
            conn.execute(text("UPDATE leaves SET status = 'endorsed'"))
        command.downgrade(alembic_config(engine), "0014")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM leaves")).scalar() == "requested"
    finally:
        engine.dispose()


def test_0016_keeps_leave_and_adds_an_empty_attachment_table(
    fresh_database: FreshDatabase,
) -> None:
    """Leave of a 0015 database survives 0016 with no document; the new table takes a
    document of a known type only, and downgrading drops the documents, not the leave."""
    from alembic import command

    url = fresh_database()
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0015")
        with engine.begin() as conn:
            _add_employee(conn, 1)
            conn.execute(
                text(
                    "INSERT INTO leaves (id, employee_id, kind, start_date, end_date, status, "
                    "reason, place, created_at) VALUES (7, 1, 'sakit', '2025-03-10', "
                    "'2025-03-11', 'requested', 'demam', '', CURRENT_TIMESTAMP)"
                )
            )
        migrate(engine)
        assert schema_diff(engine) == []
        assert "leave_attachments" in inspect(engine).get_table_names()
        insert = text(
            "INSERT INTO leave_attachments (leave_id, employee_id, content_type, size, nonce, "
            "ciphertext, sha256, created_at) VALUES (7, 1, :t, 3, :n, :c, :h, CURRENT_TIMESTAMP)"
        )
        values = {"n": b"\x00" * 12, "c": b"sealed", "h": "0" * 64}
        with engine.begin() as conn:
            row = conn.execute(text("SELECT kind, status, reason FROM leaves")).one()
            assert tuple(row) == ("sakit", "requested", "demam")
            assert conn.execute(text("SELECT count(*) FROM leave_attachments")).scalar() == 0
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert, values | {"t": "text/html"})
        with engine.begin() as conn:
            conn.execute(insert, values | {"t": "application/pdf"})
        command.downgrade(alembic_config(engine), "0015")
        assert "leave_attachments" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT reason FROM leaves")).scalar() == "demam"
    finally:
        engine.dispose()
