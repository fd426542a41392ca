"""Response models of the face and health endpoints."""

from __future__ import annotations

from pydantic import BaseModel

from hadir.face.pipeline import FaceAnalysis


class FacePublic(BaseModel):
    box: tuple[float, float, float, float]
    score: float
    landmarks: list[tuple[float, float]]
    faces_found: int
    face_size_px: float
    sharpness: float
    brightness: float
    yaw: float

    @classmethod
    def of(cls, analysis: FaceAnalysis) -> FacePublic:
        d, q = analysis.detection, analysis.quality
        return cls(
            box=tuple(round(v, 1) for v in d.box),  # type: ignore[arg-type]
            score=round(d.score, 4),
            landmarks=[(round(float(x), 1), round(float(y), 1)) for x, y in d.landmarks],
            faces_found=analysis.faces_found,
            face_size_px=round(q.face_size_px, 1),
            sharpness=round(q.sharpness, 2),
            brightness=round(q.brightness, 1),
            yaw=round(q.yaw, 1),
        )


class ComparePublic(BaseModel):
    similarity: float
    threshold: float
    review_threshold: float
    decision: str
    same_person: bool
    contract: str
    left: FacePublic
    right: FacePublic


class HealthPublic(BaseModel):
    status: str
    version: str
    face_engine: str
    contract: str | None
