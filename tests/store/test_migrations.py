"""Migrations from empty to head, no drift against the models, SQLite pragmas."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, MetaData, String, inspect, text
from sqlalchemy.exc import IntegrityError

from hadir.store.db import alembic_config, make_engine, make_session_factory, migrate
from hadir.store.tables import Base
from hadir.store.uow import SqlUnitOfWork

from .builders import current_revision, new_employee, schema_diff
from .conftest import FreshDatabase


def test_upgrade_from_empty_to_head_matches_the_models(fresh_database: FreshDatabase) -> None:
    engine = make_engine(fresh_database())
    try:
        assert inspect(engine).get_table_names() == []
        migrate(engine)
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert current_revision(engine) == head
        assert set(inspect(engine).get_table_names()) == {
            *Base.metadata.tables,
            "alembic_version",
        }
        assert schema_diff(engine) == []
        migrate(engine)  # idempotent
        assert current_revision(engine) == head
    finally:
        engine.dispose()


def test_the_drift_check_would_notice_a_missing_column(migrated_engine: Engine) -> None:
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["employees"].append_column(Column("nickname", String(40)))
    diffs = schema_diff(migrated_engine, changed)
    assert [d[0] for d in diffs if isinstance(d, tuple)] == ["add_column"]


def test_downgrade_to_base_and_up_again(fresh_database: FreshDatabase) -> None:
    from alembic import command

    url = fresh_database()
    migrate(url)
    engine = make_engine(url)
    try:
        command.downgrade(alembic_config(engine), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(engine)
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'hadir.sqlite3'}")
    try:
        migrate(engine)  # turns foreign keys off while it runs, and back on after
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert (tmp_path / "sub" / "hadir.sqlite3").is_file()
    finally:
        engine.dispose()


def test_sqlite_savepoints_roll_back_inside_the_transaction(tmp_path: Path) -> None:
    """The pysqlite BEGIN fix is in place: a released SAVEPOINT is part of the outer
    transaction, so rolling that back undoes it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'hadir.sqlite3'}")
    try:
        migrate(engine)
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:
            uow.employees.add(new_employee(1))  # flushed inside a released SAVEPOINT
            uow.rollback()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM employees")).scalar() == 0
    finally:
        engine.dispose()


def test_leave_kinds_are_checked_by_the_database(fresh_database: FreshDatabase) -> None:
    """0004 admits ``wfh``; the check still refuses unknown kinds; downgrading removes it."""
    from alembic import command

    url = fresh_database()
    migrate(url)
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:
            employee = uow.employees.add(new_employee(1))
            uow.commit()

        def insert(kind: str) -> bool:
            try:
                with engine.begin() as conn:
                    conn.execute(
                        text(
                            "INSERT INTO leaves (employee_id, kind, start_date, end_date, "
                            "status, created_at) VALUES (:e, :k, '2025-03-03', '2025-03-03', "
                            "'approved', CURRENT_TIMESTAMP)"
                        ),
                        {"e": employee.id, "k": kind},
                    )
                return True
            except IntegrityError:
                return False

        assert insert("wfh")
        assert not insert("bogus")
        command.downgrade(alembic_config(engine), "0003")
        assert not insert("wfh")
        assert insert("cuti")
    finally:
        engine.dispose()
