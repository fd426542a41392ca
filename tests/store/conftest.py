"""Every store test runs twice: on a SQLite file and on the real PostgreSQL.

PostgreSQL isolation (``postgres_schemas``, in ``tests/conftest.py``): each test session
creates its own schemas named ``hadir_test_<random>`` (one migrated schema shared by the
session's tests, plus one per migration test) and reaches them through ``search_path``
in the connection options, so parallel sessions never see each other's tables; every
schema is dropped at the end. Between tests the shared database is emptied. If
PostgreSQL cannot be reached the tests fail (CI starts it); point
``HADIR_TEST_POSTGRES_URL`` elsewhere if needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from hadir.store.db import make_engine, make_session_factory, migrate
from hadir.store.tables import Base
from hadir.store.uow import SqlUnitOfWork

FreshDatabase = Callable[[], URL]
"""Returns the URL of a new, empty database (a SQLite file or a PostgreSQL schema)."""


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def fresh_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> FreshDatabase:
    if request.param == "postgresql":
        fresh: FreshDatabase = request.getfixturevalue("postgres_schemas").fresh
        return fresh

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
