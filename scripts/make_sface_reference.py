"""Make ``src/hadir/face/data/sface_reference.npz`` with OpenCV's ``FaceRecognizerSF``.

One-off: OpenCV 5.0's ``cv2.FaceRecognizerSF.create(model, "").feature(aligned_bgr)``
is an independent runtime (OpenCV's own ONNX importer and kernels) for
:mod:`hadir.face.sface` (onnxruntime). OpenCV 5.0 refuses the file as shipped too
("empty name can only be used to set input if there is just one input": the bogus graph
inputs), so it is given the same in-memory fix, written to a temporary file.

The inputs are synthetic aligned crops (no face photos), RGB uint8, from
``default_rng(2021)``: a low-frequency random field and a smooth blob-and-gradient
pattern. OpenCV is given them as BGR, as its API expects (it swaps them back to RGB).

    .venv/bin/python scripts/make_sface_reference.py
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.sface import INPUT_SIZE, clean_model, sface_model

SEED = 2021
OUT = Path(__file__).resolve().parents[1] / "src/hadir/face/data/sface_reference.npz"


def to_uint8(image: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    return np.clip(np.round(127.5 + 127.5 * image), 0, 255).astype(np.uint8)


def random_field(rng: np.random.Generator, waves: int = 12) -> npt.NDArray[np.float64]:
    y, x = np.mgrid[0:INPUT_SIZE, 0:INPUT_SIZE] / float(INPUT_SIZE)
    image = np.zeros((INPUT_SIZE, INPUT_SIZE, 3))
    for channel in range(3):
        for _ in range(waves):
            fx, fy = rng.uniform(-5.0, 5.0, size=2)
            phase = rng.uniform(0.0, 2.0 * np.pi)
            image[..., channel] += np.cos(2.0 * np.pi * (fx * x + fy * y) + phase)
    return image / math.sqrt(waves / 2.0) / 2.0


def smooth_pattern() -> npt.NDArray[np.float64]:
    y, x = np.mgrid[0:INPUT_SIZE, 0:INPUT_SIZE] / (INPUT_SIZE - 1.0)
    blob = np.exp(-((x - 0.5) ** 2 / 0.08 + (y - 0.45) ** 2 / 0.12))
    return np.stack(
        [1.6 * blob - 0.8, np.sin(6.0 * np.pi * x) * np.cos(4.0 * np.pi * y) * 0.7, x - y],
        axis=-1,
    )


def main() -> None:
    rng = np.random.default_rng(SEED)
    crops = np.stack([to_uint8(random_field(rng)), to_uint8(smooth_pattern())])
    with tempfile.TemporaryDirectory() as tmp:
        fixed = Path(tmp) / "sface.onnx"
        fixed.write_bytes(clean_model(sface_model()))
        recognizer = cv2.FaceRecognizerSF.create(str(fixed), "")
        features = np.stack(
            [
                np.asarray(recognizer.feature(np.ascontiguousarray(c[:, :, ::-1]))).ravel()
                for c in crops
            ]
        ).astype(np.float32)
    np.savez_compressed(OUT, crops_rgb=crops, features=features, opencv=cv2.__version__)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes), features {features.shape}")


if __name__ == "__main__":
    main()
