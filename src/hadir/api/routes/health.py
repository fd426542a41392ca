from __future__ import annotations

from fastapi import APIRouter, Request

from hadir import __version__
from hadir.api.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
def health(request: Request) -> HealthPublic:
    engine = getattr(request.app.state, "face_engine", None)
    return HealthPublic(
        status="ok",
        version=__version__,
        face_engine="ready" if engine is not None else "starting",
        contract=engine.embedder.contract.key() if engine is not None else None,
    )
