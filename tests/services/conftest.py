"""Fixtures of the use-case tests: a fake face engine and migrated databases.

The fake engine reads "photos" that are little specs, e.g. ``b"person=sri;sim=0.97;seed=3"``:
an embedding whose cosine similarity to that person's reference vector is exactly
``sim`` (the rest is a seeded random direction); ``b"error=no_face"`` raises that error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, text

from fakes import FakeEmbedder
from hadir.domain.errors import ErrorCode, FaceQualityError
from hadir.face.matching import Thresholds
from hadir.face.pipeline import FaceAnalysis, Purpose, StageTimings
from hadir.face.types import Detection, Embedding, QualityReport
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.store.db import make_engine, make_session_factory, migrate
from hadir.store.tables import Base
from hadir.store.uow import SqlUnitOfWork

FAKE_THRESHOLDS = Thresholds(accept=0.9, review=0.6)
QUALITY = QualityReport(
    face_size_px=150.0, sharpness=200.0, brightness=120.0, yaw=1.0, detection_score=0.99
)


def photo(person: str, *, sim: float = 0.98, seed: int = 0) -> bytes:
    return f"person={person};sim={sim};seed={seed}".encode()


def reference(person: str, dim: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(person.encode()).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(dim)
    return vector / np.linalg.norm(vector)


class FakeFaceEngine:
    """Implements ``FaceAnalyser`` without images or models."""

    def __init__(self) -> None:
        self.embedder = FakeEmbedder()
        self.thresholds = FAKE_THRESHOLDS
        self.identify_thresholds = FAKE_THRESHOLDS
        self.calls: list[Purpose] = []

    def identify_thresholds_for(self, people: int) -> Thresholds:
        return self.identify_thresholds

    def analyse(
        self, data: bytes, purpose: Purpose = Purpose.VERIFY, *, image: object = None
    ) -> FaceAnalysis:
        self.calls.append(purpose)
        spec = dict(part.split("=", 1) for part in data.decode().split(";"))
        if "error" in spec:
            raise FaceQualityError("fake refusal", code=ErrorCode(spec["error"]))
        dim = self.embedder.contract.dim
        base = reference(spec["person"], dim)
        noise = np.random.default_rng(int(spec.get("seed", "0")) + 1000).standard_normal(dim)
        noise -= noise.dot(base) * base
        noise /= np.linalg.norm(noise)
        sim = float(spec.get("sim", "0.98"))
        vector = (sim * base + np.sqrt(max(0.0, 1 - sim * sim)) * noise).astype(np.float32)
        box = (10.0, 10.0, 160.0, 160.0)
        return FaceAnalysis(
            embedding=Embedding(vector, self.embedder.contract),
            detection=Detection(box, 0.99, np.zeros((5, 2), dtype=np.float32)),
            quality=QUALITY,
            image_size=(200, 200),
            faces_found=1,
            timings=StageTimings(),
        )


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def wib(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Jakarta"))


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("services-db") / "hadir.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine(postgres_schemas: object) -> Iterator[Engine]:
    url = postgres_schemas.fresh()  # type: ignore[attr-defined]
    engine = make_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(sqlite_engine: Engine) -> Iterator[Engine]:
    """The SQLite database, emptied after the test."""
    yield sqlite_engine
    _empty(sqlite_engine)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """SQLite, then PostgreSQL; emptied after the test."""
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    yield engine
    _empty(engine)


def factory_for(engine: Engine) -> UowFactory:
    sessions = make_session_factory(engine)

    def make() -> AbstractUnitOfWork:
        return SqlUnitOfWork(sessions)

    return make


@pytest.fixture
def uow_factory(db: Engine) -> UowFactory:
    return factory_for(db)


@pytest.fixture
def fake_engine() -> FakeFaceEngine:
    return FakeFaceEngine()


@pytest.fixture
def index_provider(uow_factory: UowFactory) -> TemplateIndexProvider:
    return TemplateIndexProvider(uow_factory)


NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
"""Monday 3 March 2025, 08:00 WIB."""
