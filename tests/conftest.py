"""Shared fixtures: the dev faces, the real face engine (built once per session) and
isolated PostgreSQL schemas for the database tests (``postgres_schemas``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parents[1]

POSTGRES_URL = os.environ.get(
    "HADIR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


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
        # One transaction per schema: dropping a schema locks each of its ~100 objects,
        # and a whole session's schemas in one transaction overflowed the server's lock
        # table (max_locks_per_transaction 64 x 100 connections: "out of shared memory").
        for name in self._created:
            with self._admin.begin() as conn:
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
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({problem}); the store and "
            "services tests need it (CI starts it). Start it or set HADIR_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    schemas = PostgresSchemas(admin)
    try:
        yield schemas
    finally:
        schemas.drop_all()
        admin.dispose()


def faces_dir() -> Path:
    configured = os.environ.get("HADIR_FACES_DIR")
    if configured:
        return Path(configured)
    return (ROOT / ".." / "shared" / "data" / "faces-dev").resolve()


@pytest.fixture(scope="session")
def faces() -> Path:
    path = faces_dir()
    if not (path / "pairs.csv").is_file():
        pytest.fail(f"dev faces not found at {path}; set HADIR_FACES_DIR")
    return path


@pytest.fixture(scope="session")
def model_cache() -> Path:
    """Where the converted FaceNet lives across the session (and across runs)."""
    configured = os.environ.get("HADIR_DATA_DIR")
    base = Path(configured) if configured else ROOT / "var"
    path = base / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def settings(model_cache: Path) -> Iterator[object]:
    from hadir.settings import Settings

    yield Settings(data_dir=model_cache.parent, onnx_threads=2)


@pytest.fixture(scope="session")
def engine(settings: object) -> object:
    """The real face engine: converted FaceNet + MTCNN on onnxruntime."""
    from hadir.bootstrap import build_face_engine
    from hadir.settings import Settings

    assert isinstance(settings, Settings)
    return build_face_engine(settings)
