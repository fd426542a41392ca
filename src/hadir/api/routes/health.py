from __future__ import annotations

from fastapi import APIRouter

from hadir import __version__
from hadir.api.deps import EngineDep
from hadir.api.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
def health(engine: EngineDep) -> HealthPublic:
    """The process is up; its face engine was built and warmed up at start."""
    return HealthPublic(
        status="ok",
        version=__version__,
        face_engine="ready",
        contract=engine.embedder.contract.key(),
    )
