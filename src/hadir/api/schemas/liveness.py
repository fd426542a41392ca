"""Models of the liveness challenge endpoint."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hadir.domain.attendance import AttendanceKind


class ChallengeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AttendanceKind
    employee_id: str | None = Field(default=None, max_length=64, description="NIP (1:1)")


class FrameCount(BaseModel):
    min: int
    max: int


class Prompt(BaseModel):
    id: str
    en: str


class ChallengePublic(BaseModel):
    """Send ``challenge`` back with ``frames.min``-``frames.max`` frames taken about
    ``interval_ms`` apart while the user follows ``prompt``, before ``expires_at``."""

    challenge: str
    action: str
    frames: FrameCount
    interval_ms: int
    expires_at: datetime
    prompt: Prompt
