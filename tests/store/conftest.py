"""Every store test runs twice: on a SQLite file and on the real PostgreSQL.

PostgreSQL isolation: each test session creates its own schemas named
``hadir_test_<random>`` (one migrated schema shared by the session's tests, plus one per
migration test) and reaches them through ``search_path`` in the connection options, so
parallel sessions never see each other's tables; every schema is dropped at the end.
Between tests the shared database is emptied. If PostgreSQL cannot be reached the tests
fail (CI starts it); point ``HADIR_TEST_POSTGRES_URL`` elsewhere if needed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from hadir.store.db import make_engine, make_session_factory, migrate
from hadir.store.tables import Base
from hadir.store.uow import SqlUnitOfWork

POSTGRES_URL = os.environ.get(
    "HADIR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

FreshDatabase = Callable[[], URL]
"""Returns the URL of a new, empty database (a SQLite file or a PostgreSQL schema)."""


class PostgresSchemas:
    """Creates uniquely named schemas on the test server and drops them all at the end."""

    def __init__(self, admin: Engine) -> None:
        self._admin = admin
        self._created: list[str] = []

    def fresh(self) -> URL:
        name = f"hadir_test_{uuid.uuid4().hex[:16]}"
        with self._admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        self._created.append(name)
        return make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={name}"})

    def drop_all(self) -> None:
        with self._admin.begin() as conn:
            for name in self._created:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self._created.clear()


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    admin = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 5})
    problem = None
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        problem = str(exc.orig)
    if problem is not None:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({problem}); the store tests "
            "need it (CI starts it). Start it or set HADIR_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    schemas = PostgresSchemas(admin)
    try:
        yield schemas
    finally:
        schemas.drop_all()
        admin.dispose()


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def fresh_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> FreshDatabase:
    if request.param == "postgresql":
        schemas: PostgresSchemas = request.getfixturevalue("postgres_schemas")
        return schemas.fresh

    def sqlite_file() -> URL:
        path: Path = tmp_path_factory.mktemp("db") / "hadir.sqlite3"
        return make_url(f"sqlite:///{path}")

    return sqlite_file


@pytest.fixture(scope="session")
def migrated_engine(fresh_database: FreshDatabase) -> Iterator[Engine]:
    """One migrated database per backend, shared by the session (emptied between tests)."""
    engine = make_engine(fresh_database())
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    yield migrated_engine
    with migrated_engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    """A unit of work; enter it once per transaction (``with uow: ...``)."""
    return SqlUnitOfWork(make_session_factory(engine))
