from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from starlette.concurrency import run_in_threadpool

from hadir.api.deps import EngineDep, SettingsDep, StaffDep, read_upload
from hadir.api.schemas import ComparePublic, FacePublic
from hadir.face.matching import MatchDecision

router = APIRouter(prefix="/api/v1/faces", tags=["faces"])


@router.post("/compare", response_model=ComparePublic)
async def compare(
    engine: EngineDep,
    settings: SettingsDep,
    left: Annotated[UploadFile, File(description="first photo (JPEG, PNG or WebP)")],
    right: Annotated[UploadFile, File(description="second photo (JPEG, PNG or WebP)")],
    _: StaffDep,
) -> ComparePublic:
    """Are the faces in two photos the same person? Similarity, threshold and decision.
    Staff only: an open face-comparison oracle would cost CPU and leak biometrics."""
    a = await read_upload(left, settings.max_image_bytes)
    b = await read_upload(right, settings.max_image_bytes)
    result = await run_in_threadpool(engine.compare, a, b)
    return ComparePublic(
        similarity=round(result.match.similarity, 5),
        threshold=round(result.match.threshold, 5),
        review_threshold=round(result.match.review_threshold, 5),
        decision=result.match.decision.value,
        same_person=result.match.decision is MatchDecision.ACCEPT,
        contract=engine.embedder.contract.key(),
        left=FacePublic.of(result.left),
        right=FacePublic.of(result.right),
    )
