"""Shared fixtures: the dev faces and the real face engine (built once per session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
