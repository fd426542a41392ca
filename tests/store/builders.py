"""Small builders for store tests."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.face.types import Embedding, EmbeddingContract, QualityReport
from hadir.services.records import MatchMethod, NewEmployee, NewEvent
from hadir.store.tables import Base

CONTRACT = EmbeddingContract(
    model_id="facenet-vggface2",
    model_sha256="a" * 64,
    preprocessing="mtcnn-160-margin0.30-flipsum-centred",
    dim=8,
)
QUALITY = QualityReport(
    face_size_px=182.5,
    sharpness=310.25,
    brightness=121.0,
    yaw=-3.5,
    detection_score=0.9991,
    roll=1.25,
)


def nip(n: int) -> str:
    """An 18-digit NIP-like staff number."""
    return f"19800101{n:010d}"


def new_employee(n: int, *, unit: str = "Bappeda", name: str | None = None) -> NewEmployee:
    return NewEmployee(employee_id=nip(n), name=name or f"Pegawai {n}", unit=unit)


def embedding(seed: int, contract: EmbeddingContract = CONTRACT) -> Embedding:
    rng = np.random.default_rng(seed)
    vector = rng.standard_normal(contract.dim).astype(np.float32)
    vector /= np.linalg.norm(vector)
    return Embedding(vector.astype(np.float32), contract)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def new_event(
    employee_id: int | None,
    at: datetime,
    *,
    kind: AttendanceKind = AttendanceKind.CHECK_IN,
    decision: Decision = Decision.ACCEPTED,
    client_request_id: str | None = None,
) -> NewEvent:
    return NewEvent(
        employee_id=employee_id,
        kind=kind,
        occurred_at=at,
        decision=decision,
        method=MatchMethod.VERIFY if employee_id is not None else MatchMethod.IDENTIFY,
        similarity=0.81,
        threshold=0.62,
        device="kiosk-lobby",
        client_request_id=client_request_id,
    )


def schema_diff(engine: Engine, metadata: MetaData = Base.metadata) -> list[object]:
    """What alembic's autogenerate finds between the database and the models (types too)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
