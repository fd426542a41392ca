"""Make ``src/hadir/face/data/facenet_reference.npz`` with OpenCV's TensorFlow importer.

One-off: OpenCV 5.0's ``cv2.dnn.readNetFromTensorflow`` runs ``graph_final.pb`` as an
independent reference for :mod:`hadir.offline.tf_convert`. The inputs are synthetic (no
face photos), from ``default_rng(20180408)``: a clipped standard-normal image, a
low-frequency random field and a smooth fixed pattern, all quantised to multiples of
1/128 so that the float32 inputs compress well and are stored exactly.

    PYTHONPATH=src .venv/bin/python scripts/make_facenet_reference.py
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hadir.face.assets import facenet_pb, sha256_file

SEED = 20180408
SIZE = 160
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/hadir/face/data/facenet_reference.npz"


def quantise(image: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """Round to multiples of 1/128 in [-1, 1]: exact in float32 and compressible."""
    return (np.round(np.clip(image, -1.0, 1.0) * 128.0) / 128.0).astype(np.float32)


def smooth_pattern() -> npt.NDArray[np.float64]:
    """A deterministic face-sized blob-and-gradient image, one pattern per channel."""
    y, x = np.mgrid[0:SIZE, 0:SIZE] / (SIZE - 1.0)
    blob = np.exp(-((x - 0.5) ** 2 / 0.08 + (y - 0.45) ** 2 / 0.12))
    channels = [
        1.6 * blob - 0.8,
        np.sin(6.0 * np.pi * x) * np.cos(4.0 * np.pi * y) * 0.7,
        (x + y) - 1.0,
    ]
    return np.stack(channels, axis=-1)


def random_field(rng: np.random.Generator, waves: int = 12) -> npt.NDArray[np.float64]:
    """A sum of random low-frequency plane waves per channel, roughly in [-1, 1]."""
    y, x = np.mgrid[0:SIZE, 0:SIZE] / float(SIZE)
    image = np.zeros((SIZE, SIZE, 3))
    for channel in range(3):
        for _ in range(waves):
            fx, fy = rng.uniform(-6.0, 6.0, size=2)
            phase = rng.uniform(0.0, 2.0 * np.pi)
            image[..., channel] += np.cos(2.0 * np.pi * (fx * x + fy * y) + phase)
    return image / math.sqrt(waves / 2.0)


def make_inputs() -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(SEED)
    images = [rng.standard_normal((SIZE, SIZE, 3)), random_field(rng), smooth_pattern()]
    return np.stack([quantise(image) for image in images])


def opencv_embeddings(pb: Path, inputs: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    import cv2

    net = cv2.dnn.readNetFromTensorflow(str(pb))
    rows = []
    for image in inputs:  # the graph hard-codes batch 1
        net.setInput(np.ascontiguousarray(image.transpose(2, 0, 1)[None]))
        rows.append(np.asarray(net.forward("embeddings"), np.float32).reshape(-1))
    return np.stack(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    pb = facenet_pb()
    inputs = make_inputs()
    embeddings = opencv_embeddings(pb, inputs)
    norms = np.linalg.norm(embeddings, axis=1)
    if not np.allclose(norms, 1.0, atol=1e-5):
        raise SystemExit(f"unexpected embedding norms {norms}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        inputs=inputs,
        embeddings=embeddings,
        source_sha256=np.array(sha256_file(pb)),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes), norms {norms}")


if __name__ == "__main__":
    main()
