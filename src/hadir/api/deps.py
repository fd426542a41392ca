"""Annotated dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, UploadFile

from hadir.domain.errors import ErrorCode, ImageError, ModelUnavailableError
from hadir.face.pipeline import FaceEngine
from hadir.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> FaceEngine:
    engine: FaceEngine | None = getattr(request.app.state, "face_engine", None)
    if engine is None:
        raise ModelUnavailableError("The face engine is still starting; try again shortly.")
    return engine


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[FaceEngine, Depends(get_engine)]


async def read_upload(upload: UploadFile, max_bytes: int) -> bytes:
    """The upload's bytes, refused as soon as it passes ``max_bytes`` (never read whole)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := await upload.read(1 << 16):
        total += len(chunk)
        if total > max_bytes:
            raise ImageError(
                f"The photo is larger than {max_bytes // 1_000_000} MB; send a smaller one.",
                code=ErrorCode.IMAGE_TOO_LARGE,
                max_bytes=max_bytes,
            )
        chunks.append(chunk)
    return b"".join(chunks)
